CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"livemode" boolean NOT NULL,
	"type" text NOT NULL,
	"created_from" timestamp with time zone,
	"created_to" timestamp with time zone,
	"status" text DEFAULT 'pending' NOT NULL,
	"row_count" integer,
	"file_key" text,
	"file_sha256" text,
	"failure_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "reports_type" CHECK (type in ('payments', 'refunds', 'balance_transactions', 'disputes', 'settlements')),
	CONSTRAINT "reports_status" CHECK (status in ('pending', 'ready', 'failed')),
	CONSTRAINT "reports_ready" CHECK (("reports"."status" = 'ready') = ("reports"."file_key" is not null and "reports"."file_sha256" is not null))
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reports_merchant_created" ON "reports" USING btree ("merchant_id","livemode","created_at","id");