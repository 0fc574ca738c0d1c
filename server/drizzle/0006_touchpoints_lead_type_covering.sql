DROP INDEX `touchpoints_lead_type_idx`;--> statement-breakpoint
DROP INDEX `touchpoints_lead_idx`;--> statement-breakpoint
CREATE INDEX `touchpoints_lead_idx` ON `touchpoints` (`lead_id`,`occurred_at`,`id`,`channel`,`type`);