CREATE TABLE `rescore_jobs` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`document` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`cursor` text DEFAULT '' NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`rebuild` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `rescore_staging` (
	`lead_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`fit` real NOT NULL,
	`stage` text NOT NULL,
	`engagement_pos` real,
	`engagement_neg` real,
	`engagement_key` real,
	`last_touch_at` integer,
	`pending_touch_at` integer
);
--> statement-breakpoint
CREATE TRIGGER `touchpoints_insert_rescore_staging` AFTER INSERT ON `touchpoints` WHEN EXISTS (SELECT 1 FROM `rescore_jobs` WHERE `workspace_id` = NEW.`workspace_id`) BEGIN DELETE FROM `rescore_staging` WHERE `lead_id` = NEW.`lead_id`; END;
--> statement-breakpoint
CREATE TRIGGER `touchpoints_update_rescore_staging` AFTER UPDATE ON `touchpoints` WHEN EXISTS (SELECT 1 FROM `rescore_jobs` WHERE `workspace_id` = NEW.`workspace_id`) BEGIN DELETE FROM `rescore_staging` WHERE `lead_id` IN (OLD.`lead_id`, NEW.`lead_id`); END;
--> statement-breakpoint
CREATE TRIGGER `touchpoints_delete_rescore_staging` AFTER DELETE ON `touchpoints` WHEN EXISTS (SELECT 1 FROM `rescore_jobs` WHERE `workspace_id` = OLD.`workspace_id`) BEGIN DELETE FROM `rescore_staging` WHERE `lead_id` = OLD.`lead_id`; END;
--> statement-breakpoint
CREATE TRIGGER `leads_update_rescore_staging` AFTER UPDATE ON `leads` WHEN EXISTS (SELECT 1 FROM `rescore_jobs` WHERE `workspace_id` = NEW.`workspace_id`) BEGIN DELETE FROM `rescore_staging` WHERE `lead_id` = NEW.`id`; END;
