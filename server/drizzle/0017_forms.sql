CREATE TABLE `forms` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`public_id` text NOT NULL,
	`name` text NOT NULL,
	`allowed_origins` text NOT NULL,
	`thank_you_url` text,
	`campaign` text,
	`enabled` integer DEFAULT true NOT NULL,
	`submission_count` integer DEFAULT 0 NOT NULL,
	`last_submission_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forms_public_id_idx` ON `forms` (`public_id`);--> statement-breakpoint
CREATE INDEX `forms_ws_idx` ON `forms` (`workspace_id`);