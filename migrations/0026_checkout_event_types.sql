ALTER TABLE "events" DROP CONSTRAINT "events_type_shape";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_type_shape" CHECK ("events"."type" ~ '^[a-z_]+(\.[a-z_]+)+$');