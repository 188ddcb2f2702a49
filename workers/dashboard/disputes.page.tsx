import { ActionForm } from "./action-form.js";
import type { ApiList } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount, formatTime, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

interface Dispute {
  id: string;
  payment: string;
  amount: number;
  currency: string;
  reason: string;
  status: string;
  evidence: { text: string; submitted: number } | null;
  created: number;
}

/**
 * Disputes from `GET /v1/disputes`, newest first; one waiting for the merchant's answer takes its
 * evidence here (`POST /v1/disputes/{id}/evidence`, once: it then goes under review).
 */
export async function disputesPage({ read, session, nonce }: PageContext) {
  const listed = await read<ApiList<Dispute> & ApiErrorBody>("/v1/disputes?limit=50");
  const disputes = listed.status === 200 ? listed.body.data : [];
  return (
    <Layout title="Disputes" nonce={nonce} session={session} section="disputes">
      {listed.status !== 200 ? <ApiErrorNote error={listed.body.error} /> : ""}
      {listed.status === 200 && disputes.length === 0 ? <p class="muted">No disputes in this mode.</p> : ""}
      {disputes.map((dispute) => (
        <section class="panel" data-dispute={dispute.id} aria-labelledby={`${dispute.id}-heading`}>
          <h2 id={`${dispute.id}-heading`}>
            {formatAmount(dispute.amount, dispute.currency)} · {humanize(dispute.reason)} · {humanize(dispute.status)}
          </h2>
          <p class="muted">
            <span class="mono">{dispute.id}</span> · opened {formatTime(dispute.created)} · payment{" "}
            <a class="mono" href={`/dashboard/payments/${dispute.payment}`}>{`${dispute.payment.slice(0, 14)}…`}</a>
          </p>
          {dispute.evidence ? (
            <p>
              Evidence sent {formatTime(dispute.evidence.submitted)}: {dispute.evidence.text}
            </p>
          ) : dispute.status === "needs_response" ? (
            <ActionForm
              id={`evidence-${dispute.id}`}
              url={`/v1/disputes/${dispute.id}/evidence`}
              label="Send evidence"
              confirm="Send this evidence to the network? It can be sent only once."
            >
              <div class="wide">
                <label for={`evidence-text-${dispute.id}`}>Evidence (receipts, delivery proof, correspondence)</label>
                <textarea id={`evidence-text-${dispute.id}`} name="text" rows={4} maxlength={20000} />
              </div>
            </ActionForm>
          ) : (
            ""
          )}
        </section>
      ))}
    </Layout>
  );
}
