import { ApiError } from "../../errors/api-error.js";
import { renameKey, renameSchemaProperty, type VersionChange } from "../version-change.js";

/**
 * 2026-11-25: the payment's `customer_id` is now `customer`, in requests and answers, like every
 * other reference in the API (`payment` on a refund or a dispute, `endpoint` on a delivery).
 */
export const paymentCustomerRename: VersionChange = {
  version: "2026-11-25",
  description: "`customer_id` on payments is renamed `customer` (create-payment requests and payment objects).",
  upgradeRequest: (method, path, body) => {
    if (method !== "POST" || path !== "/v1/payments") return body;
    // The old version has no `customer`: taking it silently could drop one of two values.
    if ("customer" in body) {
      throw new ApiError("parameter_unknown", {
        param: "customer",
        message: "Received unknown parameter: customer. Before API version 2026-11-25 it is customer_id.",
      });
    }
    return renameKey(body, "customer_id", "customer");
  },
  downgradeResource: { payment: (payment) => renameKey(payment, "customer", "customer_id") },
  upgradeStoredResource: { payment: (payment) => renameKey(payment, "customer_id", "customer") },
  renamedParams: { customer: "customer_id" },
  downgradeDocument: (document) => {
    const doc = document as {
      components: { schemas: Record<string, unknown> };
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>;
    };
    renameSchemaProperty(doc.components.schemas.Payment, "customer", "customer_id");
    renameSchemaProperty(
      doc.paths["/v1/payments"]?.post?.requestBody.content["application/json"]?.schema,
      "customer",
      "customer_id",
    );
  },
};
