/**
 * The `/v1` objects as the pages read them: only the fields drawn, typed from the API's answers
 * (workers/payments/payments.view.ts, events.view.ts, webhook-endpoints.view.ts, api-keys.view.ts).
 */
export interface ApiList<T> {
  data: T[];
  has_more: boolean;
}

export interface Payment {
  id: string;
  livemode: boolean;
  status: string;
  amount: number;
  amount_capturable: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  capture_method: string;
  payment_method: {
    type: string;
    card?: { brand?: string; last4?: string; exp_month?: number; exp_year?: number } | null;
  } | null;
  processor: string | null;
  decline_code: string | null;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string> | null;
  capture_status: string | null;
  pending_operation: { type: string; amount: number } | null;
  refunds: { id: string; amount: number; currency: string; status: string; reason: string | null; created: number }[];
  attempts: {
    id: string;
    status: string;
    processor: string | null;
    decline_code: string | null;
    network_code: string | null;
    latency_ms: number | null;
    routing: { rule: string; candidates: string[]; skipped: { processor: string; reason: string }[] } | null;
    created: number;
  }[];
  created: number;
}

export interface Transition {
  sequence: number;
  event_type: string;
  old_status: string | null;
  new_status: string;
  created_at: string;
}

export interface GatewayEvent {
  id: string;
  type: string;
  created: number;
  data: { object: { id?: string } };
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  enabled_events: string[];
  status: string;
  created: number;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  event_type: string;
  status: string;
  attempts_count: number;
  next_attempt: number | null;
  attempts: {
    attempt: number;
    created: number;
    status_code: number | null;
    latency_ms: number | null;
    error: string | null;
  }[];
  created: number;
}

export interface ApiKey {
  id: string;
  type: "secret" | "publishable";
  name: string | null;
  redacted: string;
  status: string;
  created: number;
  expires_at: number | null;
}

export interface PaymentSummary {
  count: number;
  approved: number;
  declined: number;
  volume: { currency: string; captured: number; refunded: number; net: number }[];
  declines_by_code: { decline_code: string; count: number }[];
  processors: { processor: string; count: number; approved: number; declined: number }[];
  days: { day: string; count: number }[];
}
