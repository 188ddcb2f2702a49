CREATE TABLE "dashboard_users" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"totp_secret" text,
	"totp_enabled_at" timestamp with time zone,
	"totp_last_step" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dashboard_users_role" CHECK ("dashboard_users"."role" in ('admin', 'developer', 'read_only')),
	CONSTRAINT "dashboard_users_email_lowercase" CHECK ("dashboard_users"."email" = lower("dashboard_users"."email")),
	CONSTRAINT "dashboard_users_password_phc" CHECK ("dashboard_users"."password_hash" like '$argon2id$%')
);
--> statement-breakpoint
ALTER TABLE "dashboard_users" ADD CONSTRAINT "dashboard_users_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dashboard_users_merchant_email" ON "dashboard_users" USING btree ("merchant_id","email");--> statement-breakpoint
CREATE INDEX "dashboard_users_email" ON "dashboard_users" USING btree ("email");