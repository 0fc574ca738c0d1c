CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`label` text,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_idx` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`type` text NOT NULL,
	`lead_id` text,
	`data` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_ws_id_idx` ON `events` (`workspace_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_at_idx` ON `events` (`at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`request_hash` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `key`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`full_name` text,
	`first_name` text,
	`last_name` text,
	`name_key` text,
	`title` text,
	`company` text,
	`company_domain` text,
	`email` text,
	`email_key` text,
	`phone` text,
	`location` text,
	`country` text,
	`linkedin_url` text,
	`website` text,
	`industry` text,
	`company_size` integer,
	`bant_budget` integer,
	`bant_authority` integer,
	`bant_need` integer,
	`bant_timeline_months` integer,
	`source_channel` text NOT NULL,
	`source_url` text,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`owner_id` text,
	`stage` text NOT NULL,
	`deal_value` real,
	`fit` real DEFAULT 0 NOT NULL,
	`engagement_pos` real,
	`engagement_neg` real,
	`engagement_key` real,
	`pending_touch_at` integer,
	`last_touch_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `leads_ws_created_idx` ON `leads` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_last_touch_idx` ON `leads` (`workspace_id`,`last_touch_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_rank_idx` ON `leads` (`workspace_id`,`fit`,`engagement_key`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_stage_rank_idx` ON `leads` (`workspace_id`,`stage`,`fit`,`engagement_key`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_owner_rank_idx` ON `leads` (`workspace_id`,`owner_id`,`fit`,`engagement_key`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_pending_idx` ON `leads` (`workspace_id`,`pending_touch_at`);--> statement-breakpoint
CREATE INDEX `leads_ws_linkedin_idx` ON `leads` (`workspace_id`,`linkedin_url`);--> statement-breakpoint
CREATE INDEX `leads_ws_email_key_idx` ON `leads` (`workspace_id`,`email_key`);--> statement-breakpoint
CREATE INDEX `leads_ws_domain_idx` ON `leads` (`workspace_id`,`company_domain`);--> statement-breakpoint
CREATE TABLE `scoring_models` (
	`workspace_id` text NOT NULL,
	`version` integer NOT NULL,
	`document` text NOT NULL,
	`landmark` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	PRIMARY KEY(`workspace_id`, `version`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `source_costs` (
	`workspace_id` text NOT NULL,
	`month` text NOT NULL,
	`channel` text NOT NULL,
	`utm_source` text DEFAULT '' NOT NULL,
	`utm_campaign` text DEFAULT '' NOT NULL,
	`amount` real NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `month`, `channel`, `utm_source`, `utm_campaign`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stage_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`cause` text NOT NULL,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stage_changes_lead_idx` ON `stage_changes` (`lead_id`,`at`);--> statement-breakpoint
CREATE INDEX `stage_changes_ws_at_idx` ON `stage_changes` (`workspace_id`,`at`);--> statement-breakpoint
CREATE TABLE `touchpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`user_id` text,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`note` text,
	`channel` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `touchpoints_lead_idx` ON `touchpoints` (`lead_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `touchpoints_ws_occurred_idx` ON `touchpoints` (`workspace_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `users_workspace_idx` ON `users` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`stage_probabilities` text,
	`created_at` integer NOT NULL
);
