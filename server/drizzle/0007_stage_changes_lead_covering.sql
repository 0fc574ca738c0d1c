DROP INDEX `stage_changes_lead_idx`;--> statement-breakpoint
CREATE INDEX `stage_changes_lead_idx` ON `stage_changes` (`lead_id`,`at`,`to_stage`);