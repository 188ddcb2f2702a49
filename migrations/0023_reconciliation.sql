CREATE TABLE "reconciliation_items" (
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"class" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text,
	"original_reference" text,
	"line_no" integer,
	"source_id" text,
	"payment_id" text,
	"merchant_id" text,
	"file_amount" bigint,
	"gateway_amount" bigint,
	"file_currency" text,
	"gateway_currency" text,
	"file_fee" bigint,
	"gateway_fee" bigint,
	"file_auth_code" text,
	"gateway_auth_code" text,
	CONSTRAINT "reconciliation_items_run_id_seq_pk" PRIMARY KEY("run_id","seq"),
	CONSTRAINT "reconciliation_items_class" CHECK (class in ('missing_at_processor', 'missing_at_gateway', 'amount_mismatch', 'currency_mismatch', 'duplicate', 'fee_mismatch')),
	CONSTRAINT "reconciliation_items_kind" CHECK ("reconciliation_items"."kind" in ('charge', 'refund'))
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"processor" text NOT NULL,
	"livemode" boolean NOT NULL,
	"day" date NOT NULL,
	"status" text DEFAULT 'completed' NOT NULL,
	"file_key" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" bigint NOT NULL,
	"line_count" integer NOT NULL,
	"gateway_count" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"exceptions_key" text NOT NULL,
	"exceptions_sha256" text NOT NULL,
	"supersedes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciliation_runs_status" CHECK (status in ('completed', 'superseded')),
	CONSTRAINT "reconciliation_runs_sha256" CHECK ("reconciliation_runs"."file_sha256" ~ '^[0-9a-f]{64}$' and "reconciliation_runs"."exceptions_sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "reconciliation_runs_id_shape" CHECK ("reconciliation_runs"."id" ~ '^rcn_[0-9a-f]{32}$')
);
--> statement-breakpoint
ALTER TABLE "reconciliation_items" ADD CONSTRAINT "reconciliation_items_run_id_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconciliation_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_items_run_class" ON "reconciliation_items" USING btree ("run_id","class","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliation_runs_file" ON "reconciliation_runs" USING btree ("processor","livemode","day","file_sha256");--> statement-breakpoint
CREATE INDEX "reconciliation_runs_day" ON "reconciliation_runs" USING btree ("processor","livemode","day","created_at");--> statement-breakpoint
CREATE INDEX "reconciliation_runs_created" ON "reconciliation_runs" USING btree ("created_at","id");--> statement-breakpoint
-- Reconciliation reads one processor's movements of one day in one mode (workers/reconciliation/reconciliation-staging.ts).
CREATE INDEX IF NOT EXISTS "balance_transactions_processor_day" ON "balance_transactions" USING btree ("processor","livemode","created_at");
