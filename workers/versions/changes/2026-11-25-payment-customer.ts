import { renameKey, type VersionChange } from "../version-change.js";

/**
 * 2026-11-25: the payment's `customer_id` is now `customer`, in requests and answers, like every
 * other reference in the API (`payment` on a refund or a dispute, `endpoint` on a delivery).
 */
export const paymentCustomerRename: VersionChange = {
  version: "2026-11-25",
  description: "`customer_id` on payments is renamed `customer` (create-payment requests and payment objects).",
  upgradeRequest: (method, path, body) =>
    method === "POST" && path === "/v1/payments" ? renameKey(body, "customer_id", "customer") : body,
  downgradeResource: { payment: (payment) => renameKey(payment, "customer", "customer_id") },
  renamedParams: { customer: "customer_id" },
};
