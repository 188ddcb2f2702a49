CREATE TABLE "network_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text,
	"kind" text,
	"processor" text,
	"amount" bigint,
	"currency" text,
	"original_reference" text,
	"processor_reference" text,
	"state" text NOT NULL,
	"resolution" text,
	"outcome" jsonb,
	"card" jsonb,
	"deadline" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "network_operations_id_shape" CHECK ("network_operations"."id" ~ '^op_[0-9A-Za-z_]{8,160}$'),
	CONSTRAINT "network_operations_state" CHECK (state in ('recorded', 'sent', 'unknown', 'approved', 'declined', 'no_effect', 'not_sent')),
	CONSTRAINT "network_operations_kind" CHECK (kind is null or kind in ('authorization', 'sale', 'completion', 'reversal', 'refund')),
	CONSTRAINT "network_operations_processor" CHECK (processor is null or processor in ('visa', 'mastercard')),
	CONSTRAINT "network_operations_resolution" CHECK (resolution is null or resolution in ('inquiry', 'reversal', 'completion_repeat', 'reversal_repeat', 'refund_repeat')),
	CONSTRAINT "network_operations_complete" CHECK ("network_operations"."state" = 'not_sent' or ("network_operations"."payment_id" is not null and "network_operations"."kind" is not null and "network_operations"."processor" is not null and "network_operations"."amount" is not null and "network_operations"."currency" is not null and "network_operations"."processor_reference" is not null)),
	CONSTRAINT "network_operations_amount" CHECK ("network_operations"."amount" is null or ("network_operations"."amount" > 0 and "network_operations"."amount" <= 999999999999)),
	CONSTRAINT "network_operations_currency_shape" CHECK ("network_operations"."currency" is null or "network_operations"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "network_operations_follow_up_original" CHECK ("network_operations"."kind" is null or "network_operations"."kind" in ('authorization', 'sale') or "network_operations"."original_reference" is not null),
	CONSTRAINT "network_operations_unknown_owes" CHECK ("network_operations"."state" <> 'unknown' or "network_operations"."resolution" is not null),
	CONSTRAINT "network_operations_definite_answer" CHECK ("network_operations"."state" in ('recorded', 'sent') or "network_operations"."outcome" is not null),
	CONSTRAINT "network_operations_due_while_open" CHECK ("network_operations"."state" not in ('recorded', 'sent', 'unknown') or "network_operations"."next_attempt_at" is not null),
	CONSTRAINT "network_operations_attempts" CHECK ("network_operations"."attempts" >= 0)
);
--> statement-breakpoint
DROP INDEX "refunds_merchant_idempotency_key";--> statement-breakpoint
CREATE INDEX "network_operations_due" ON "network_operations" USING btree ("next_attempt_at") WHERE state in ('recorded', 'sent', 'unknown');--> statement-breakpoint
CREATE INDEX "network_operations_payment" ON "network_operations" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_payment_idempotency_key" ON "refunds" USING btree ("payment_id","idempotency_key");