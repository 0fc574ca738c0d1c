DROP INDEX `touchpoints_ws_occurred_idx`;--> statement-breakpoint
CREATE INDEX `touchpoints_lead_type_idx` ON `touchpoints` (`lead_id`,`type`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `touchpoints_ws_occurred_idx` ON `touchpoints` (`workspace_id`,`occurred_at`,`user_id`,`type`);--> statement-breakpoint
CREATE INDEX `stage_changes_lead_stage_idx` ON `stage_changes` (`lead_id`,`to_stage`,`at`);