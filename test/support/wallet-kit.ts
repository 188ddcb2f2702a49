import { expect } from "vitest";
import { apiCall, type DevJson } from "./running-stack.js";
import { query } from "./sql-client.js";
import { eventually } from "./webhook-receiver.js";

/**
 * Helpers for the wallet's end-to-end tests (issue 15): a PayPal payment as a merchant creates it,
 * the payer's trip through the wallet simulator's approval page done with plain HTTP (every redirect
 * followed by hand, so each hop can be checked), and the simulator's own books through its admin API.
 */

/** Where the merchant's pages would be: never fetched, the tests only read the redirects to them. */
export const SHOP_RETURN = "https://shop.example/checkout/return";
export const SHOP_CANCEL = "https://shop.example/checkout/cancel";

export type TestPayer = "approve" | "decline" | "abandon" | "pending" | "deny";
export const payerEmail = (payer: TestPayer) => `${payer}@wallet.test`;

/** `POST /v1/payments` for PayPal, returning to the shop's pages unless `change` says otherwise. */
export function paypalPayment(
  dev: DevJson,
  change: Record<string, unknown> = {},
  idempotencyKey?: string,
): ReturnType<typeof apiCall> {
  return apiCall(dev, "POST", "/v1/payments", {
    json: {
      amount: 1_999,
      currency: "usd",
      payment_method: { type: "paypal" },
      return_url: SHOP_RETURN,
      cancel_url: SHOP_CANCEL,
      capture_method: "automatic",
      ...change,
    },
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
}

/** A created payment's approval page URL and wallet order, checked against the contract. */
export function approvalOf(dev: DevJson, payment: Record<string, any>): { url: string; orderId: string } {
  expect(payment.status, JSON.stringify(payment)).toBe("requires_action");
  const url = payment.next_action?.redirect_to_url?.url as string;
  const orderId = payment.payment_method?.paypal?.order_id as string;
  expect(typeof url).toBe("string");
  expect(orderId).toMatch(/^[A-Z0-9]{10,30}$/);
  const approval = new URL(url);
  expect(approval.origin).toBe(new URL(dev.wallet_url).origin);
  expect(approval.pathname).toBe("/checkoutnow");
  expect(approval.searchParams.get("token")).toBe(orderId);
  return { url, orderId };
}

/** One hop of a redirect chain, not followed. */
export async function hop(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; location: string | null; body: string }> {
  const response = await fetch(url, { ...init, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), body: await response.text() };
}

/** What the approval page's forms post: `/checkoutnow/approve` or `/checkoutnow/cancel` at the wallet. */
export function postApprovalForm(approvalUrl: string, action: "approve" | "cancel", fields: Record<string, string>) {
  return hop(new URL(`/checkoutnow/${action}`, approvalUrl).toString(), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface PayerTrip {
  /** The wallet's 303 to the gateway's hosted return (or cancel) page. */
  gatewayUrl: string;
  /** The gateway's 303 to the merchant's page, when followed. */
  merchantUrl: URL | null;
}

/**
 * The payer opens the approval page, logs in as `payer` and presses Pay (or Cancel). The wallet
 * sends them to the gateway's hosted page; with `follow` that page is opened too and must send
 * them, 303, on to the merchant's page.
 */
export async function payerTrip(
  dev: DevJson,
  payment: Record<string, any>,
  options: { payer?: TestPayer; action?: "approve" | "cancel"; follow?: boolean } = {},
): Promise<PayerTrip> {
  const { url, orderId } = approvalOf(dev, payment);
  const action = options.action ?? "approve";
  const page = await hop(url);
  expect(page.status).toBe(200);
  expect(page.body).toContain('id="approve"');
  expect(page.body).toContain(`value="${orderId}"`);
  const fields: Record<string, string> = { token: orderId };
  if (action === "approve") fields.email = payerEmail(options.payer ?? "approve");
  const posted = await postApprovalForm(url, action, fields);
  expect(posted.status, posted.body.slice(0, 300)).toBe(303);
  const gatewayUrl = posted.location ?? "";
  const hosted = action === "approve" ? "return" : "cancel";
  expect(gatewayUrl.startsWith(`${dev.api}/wallet/${hosted}/${payment.id}?`), gatewayUrl).toBe(true);
  expect(new URL(gatewayUrl).searchParams.get("token")).toBe(orderId);
  if (options.follow === false) return { gatewayUrl, merchantUrl: null };
  return { gatewayUrl, merchantUrl: await backToMerchant(gatewayUrl) };
}

/** Opens the gateway's hosted return/cancel page: it must answer 303 to the merchant's page. */
export async function backToMerchant(gatewayUrl: string): Promise<URL> {
  const back = await hop(gatewayUrl);
  expect(back.status, back.body.slice(0, 300)).toBe(303);
  expect(back.location).toBeTruthy();
  return new URL(back.location as string, gatewayUrl);
}

/** Checks the merchant's page the payer lands on: the right page, this payment, `redirectStatus`. */
export function expectLanding(landing: URL | null, page: string, paymentId: string, redirectStatus: string): void {
  expect(landing).not.toBeNull();
  const url = landing as URL;
  expect(`${url.origin}${url.pathname}`).toBe(page);
  expect(url.searchParams.get("payment_id")).toBe(paymentId);
  expect(url.searchParams.get("redirect_status")).toBe(redirectStatus);
}

/** The payment through the API. */
export async function readPayment(dev: DevJson, id: string): Promise<Record<string, any>> {
  const read = await apiCall(dev, "GET", `/v1/payments/${id}`);
  expect(read.status).toBe(200);
  return read.json;
}

/** The payment once `check` holds for it (read through the API, as a merchant polls). */
export async function paymentWhen(
  dev: DevJson,
  id: string,
  check: (payment: Record<string, any>) => boolean,
  timeoutMs = 15_000,
): Promise<Record<string, any>> {
  return eventually(() => readPayment(dev, id), check, timeoutMs);
}

/** The payment's events (`GET /v1/payments/:id/events`) of one type. */
export async function paymentEvents(dev: DevJson, id: string, type: string): Promise<unknown[]> {
  const events = await apiCall(dev, "GET", `/v1/payments/${id}/events`);
  expect(events.status).toBe(200);
  return (events.json.data as { event_type: string }[]).filter((event) => event.event_type === type);
}

export interface ProjectedRow {
  status: string;
  amount: number;
  amount_captured: number;
  amount_capturable: number;
  amount_refunded: number;
  payment_method_type: string;
  processor: string | null;
  decline_code: string | null;
  version: number;
}

/** The Postgres projection of a payment, once it has caught up with `status` (within `timeoutMs`). */
export async function projected(dev: DevJson, id: string, status: string, timeoutMs = 20_000): Promise<ProjectedRow> {
  const row = await eventually(
    async () =>
      (
        await query<{ row: ProjectedRow }>(
          dev.database_url,
          "select row_to_json(p) as row from payments p where id = $1",
          [id],
        )
      )[0]?.row,
    (found) => found?.status === status,
    timeoutMs,
  );
  return row as ProjectedRow;
}

/** The wallet simulator's view of one order (admin API). */
export async function walletOrder(dev: DevJson, orderId: string): Promise<Record<string, any>> {
  const response = await fetch(`${dev.wallet_admin}/orders/${orderId}`);
  expect(response.status, `wallet order ${orderId}`).toBe(200);
  return (await response.json()) as Record<string, any>;
}

/** The wallet simulator's money for one order (admin `/ledger`). */
export async function walletLedger(dev: DevJson, orderId: string): Promise<Record<string, any>> {
  const response = await fetch(`${dev.wallet_admin}/ledger`);
  expect(response.status).toBe(200);
  const { entries } = (await response.json()) as { entries: { order_id: string }[] };
  const entry = entries.find((found) => found.order_id === orderId);
  expect(entry, `ledger entry for ${orderId}`).toBeDefined();
  return entry as Record<string, any>;
}

export interface WalletEvent {
  id: string;
  event_type: string;
  order_id: string;
  delivery: { status: string; attempts: { status: number | null; replay: boolean }[] };
}

/** The webhook events the wallet simulator sent (or tried to) about one order. */
export async function walletEvents(dev: DevJson, orderId: string): Promise<WalletEvent[]> {
  const response = await fetch(`${dev.wallet_admin}/webhooks?order=${encodeURIComponent(orderId)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: WalletEvent[] }).events;
}

/** Until every webhook the wallet sent about the order has been delivered (2xx) or given up on. */
export function webhooksSettled(dev: DevJson, orderId: string, timeoutMs = 20_000): Promise<WalletEvent[]> {
  return eventually(
    () => walletEvents(dev, orderId),
    (events) => events.length > 0 && events.every((event) => event.delivery.status !== "pending"),
    timeoutMs,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulator's fault switches (admin `PUT /faults`): a mode, optionally the routes it hits and how slow. */
export type WalletFaultRoute =
  | "oauth.token"
  | "orders.create"
  | "orders.get"
  | "orders.capture"
  | "orders.authorize"
  | "authorizations.get"
  | "authorizations.capture"
  | "authorizations.void"
  | "captures.get"
  | "captures.refund"
  | "refunds.get";

export interface WalletFault {
  mode: "none" | "refuse" | "never_answer" | "slow" | "http_500" | "garbled";
  slow_ms?: number;
  routes?: WalletFaultRoute[] | "all";
}

/** The simulator's default fault routes: the ones that move money (reads still get through). */
export const WALLET_MONEY_ROUTES: WalletFaultRoute[] = [
  "orders.create",
  "orders.capture",
  "orders.authorize",
  "authorizations.capture",
  "authorizations.void",
  "captures.refund",
];

async function walletAdminPut(dev: DevJson, path: string, body: unknown): Promise<Record<string, any>> {
  const response = await fetch(`${dev.wallet_admin}${path}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, any>;
  expect(response.status, `PUT ${path} ${JSON.stringify(answer)}`).toBe(200);
  return answer;
}

/** Switches a fault on at the wallet simulator (or off, with `{mode: "none"}`); the state it now has. */
export function walletFault(dev: DevJson, fault: WalletFault): Promise<Record<string, any>> {
  return walletAdminPut(dev, "/faults", fault);
}

/** Whether the wallet simulator delivers its webhooks or drops them (kept in its books, never sent). */
export function walletWebhooks(dev: DevJson, mode: "deliver" | "drop"): Promise<Record<string, any>> {
  return walletAdminPut(dev, "/webhooks", { mode });
}

/** Every fault off, the fault routes back to the default, webhooks delivered. */
export async function healWallet(dev: DevJson): Promise<void> {
  await walletFault(dev, { mode: "none", slow_ms: 0, routes: WALLET_MONEY_ROUTES });
  await walletWebhooks(dev, "deliver");
}

/** Every order the wallet simulator holds for one payment (its `custom_id` is the payment's id). */
export async function walletOrdersFor(dev: DevJson, paymentId: string): Promise<Record<string, any>[]> {
  const response = await fetch(`${dev.wallet_admin}/orders`);
  expect(response.status).toBe(200);
  const { orders } = (await response.json()) as { orders: Record<string, any>[] };
  return orders.filter((order) => order.custom_id === paymentId);
}

/** The one order the wallet holds for a payment: fails if there is none, or more than one. */
export async function theOnlyOrder(dev: DevJson, paymentId: string): Promise<Record<string, any>> {
  const orders = await walletOrdersFor(dev, paymentId);
  expect(
    orders.map((order) => order.id),
    `orders at the wallet for ${paymentId}`,
  ).toHaveLength(1);
  return orders[0] as Record<string, any>;
}

/** Sends one of the wallet's webhook events to the gateway again, signed anew; the gateway's HTTP status. */
export async function replayWalletEvent(dev: DevJson, eventId: string): Promise<number | null> {
  const response = await fetch(`${dev.wallet_admin}/webhooks/${encodeURIComponent(eventId)}/replay`, {
    method: "POST",
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { status: number | null }).status;
}

/** Every status the payment went through, in order (`GET /v1/payments/:id/events`). */
export async function paymentStatuses(dev: DevJson, id: string): Promise<string[]> {
  const events = await apiCall(dev, "GET", `/v1/payments/${id}/events`);
  expect(events.status).toBe(200);
  return (events.json.data as { new_status: string }[]).map((event) => event.new_status);
}
