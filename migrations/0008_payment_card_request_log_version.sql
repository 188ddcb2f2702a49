ALTER TABLE "payments" ADD COLUMN "card" jsonb;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "api_version" text;