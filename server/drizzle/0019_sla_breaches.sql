ALTER TABLE `lead_assignments` ADD `sla_due_at` integer;--> statement-breakpoint
ALTER TABLE `lead_assignments` ADD `sla_outcome` text;--> statement-breakpoint
ALTER TABLE `lead_assignments` ADD `sla_settled_at` integer;--> statement-breakpoint
CREATE INDEX `lead_assignments_sla_due_idx` ON `lead_assignments` (`sla_due_at`) WHERE "lead_assignments"."sla_due_at" is not null and "lead_assignments"."sla_outcome" is null;