ALTER TABLE "network_operations" DROP CONSTRAINT "network_operations_complete";--> statement-breakpoint
DROP INDEX "disputes_merchant_created";--> statement-breakpoint
DROP INDEX "events_merchant_created";--> statement-breakpoint
DROP INDEX "payments_merchant_idempotency_key";--> statement-breakpoint
DROP INDEX "payments_merchant_created";--> statement-breakpoint
DROP INDEX "request_logs_merchant_created";--> statement-breakpoint
DROP INDEX "webhook_endpoints_merchant";--> statement-breakpoint
ALTER TABLE "card_tokens" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "network_operations" ADD COLUMN "livemode" boolean;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "livemode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Rows from before modes: test mode, unless their payment, event or key says otherwise. The
-- defaults go again at once, so no later insert can forget its mode.
UPDATE "refunds" r SET "livemode" = p."livemode" FROM "payments" p WHERE p."id" = r."payment_id";--> statement-breakpoint
UPDATE "disputes" d SET "livemode" = p."livemode" FROM "payments" p WHERE p."id" = d."payment_id";--> statement-breakpoint
UPDATE "events" SET "livemode" = ("data"->>'livemode')::boolean WHERE "data" ? 'livemode' AND jsonb_typeof("data"->'livemode') = 'boolean';--> statement-breakpoint
UPDATE "webhook_deliveries" w SET "livemode" = e."livemode" FROM "events" e WHERE e."id" = w."event_id";--> statement-breakpoint
UPDATE "request_logs" l SET "livemode" = k."livemode" FROM "api_keys" k WHERE k."id" = l."api_key_id";--> statement-breakpoint
UPDATE "network_operations" o SET "livemode" = coalesce((SELECT p."livemode" FROM "payments" p WHERE p."id" = o."payment_id"), false) WHERE o."state" <> 'not_sent';--> statement-breakpoint
ALTER TABLE "card_tokens" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "disputes" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "refunds" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "request_logs" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ALTER COLUMN "livemode" DROP DEFAULT;--> statement-breakpoint
CREATE INDEX "disputes_merchant_created" ON "disputes" USING btree ("merchant_id","livemode","created_at","id");--> statement-breakpoint
CREATE INDEX "events_merchant_created" ON "events" USING btree ("merchant_id","livemode","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_merchant_idempotency_key" ON "payments" USING btree ("merchant_id","livemode","idempotency_key");--> statement-breakpoint
CREATE INDEX "payments_merchant_created" ON "payments" USING btree ("merchant_id","livemode","created_at","id");--> statement-breakpoint
CREATE INDEX "request_logs_merchant_created" ON "request_logs" USING btree ("merchant_id","livemode","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_merchant" ON "webhook_endpoints" USING btree ("merchant_id","livemode");--> statement-breakpoint
ALTER TABLE "network_operations" ADD CONSTRAINT "network_operations_complete" CHECK ("network_operations"."state" = 'not_sent' or ("network_operations"."payment_id" is not null and "network_operations"."kind" is not null and "network_operations"."livemode" is not null and "network_operations"."processor" is not null and "network_operations"."amount" is not null and "network_operations"."currency" is not null and "network_operations"."processor_reference" is not null));