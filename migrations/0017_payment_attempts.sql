CREATE TABLE "payment_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"livemode" boolean NOT NULL,
	"sequence" integer NOT NULL,
	"status" text NOT NULL,
	"processor" text,
	"processor_reference" text,
	"decline_code" text,
	"network_code" text,
	"auth_code" text,
	"latency_ms" integer,
	"routing" jsonb,
	"payment_version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "payment_attempts_status" CHECK (status in ('pending', 'succeeded', 'declined', 'failed')),
	CONSTRAINT "payment_attempts_latency" CHECK ("payment_attempts"."latency_ms" is null or "payment_attempts"."latency_ms" >= 0)
);
--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_attempts_payment" ON "payment_attempts" USING btree ("payment_id","sequence");--> statement-breakpoint
CREATE INDEX "payment_attempts_processor_reference" ON "payment_attempts" USING btree ("processor","processor_reference");