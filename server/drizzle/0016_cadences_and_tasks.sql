CREATE TABLE `cadences` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`nurture` integer DEFAULT false NOT NULL,
	`on_reply` text DEFAULT 'pause' NOT NULL,
	`company_wide` integer DEFAULT false NOT NULL,
	`steps` text NOT NULL,
	`rule` text,
	`archived` integer DEFAULT false NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cadences_ws_idx` ON `cadences` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `enrolment_history` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`enrolment_id` text NOT NULL,
	`kind` text NOT NULL,
	`step_index` integer,
	`cause` text,
	`reason` text,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrolment_history_enrolment_idx` ON `enrolment_history` (`enrolment_id`,`at`);--> statement-breakpoint
CREATE TABLE `enrolments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`cadence_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`state` text NOT NULL,
	`next_step` integer DEFAULT 0 NOT NULL,
	`next_due_at` integer,
	`reason` text,
	`fallback_assignee_id` text,
	`enrolled_by` text,
	`enrolled_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cadence_id`) REFERENCES `cadences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`fallback_assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrolled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrolments_due_idx` ON `enrolments` (`next_due_at`) WHERE "enrolments"."state" = 'active';--> statement-breakpoint
CREATE INDEX `enrolments_lead_idx` ON `enrolments` (`lead_id`,`state`);--> statement-breakpoint
CREATE INDEX `enrolments_cadence_idx` ON `enrolments` (`cadence_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_live_idx` ON `enrolments` (`cadence_id`,`lead_id`) WHERE "enrolments"."state" in ('active', 'paused');--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`assignee_id` text NOT NULL,
	`type` text NOT NULL,
	`state` text NOT NULL,
	`note` text,
	`due_at` integer NOT NULL,
	`snoozed_until` integer,
	`show_at` integer NOT NULL,
	`outcome` text,
	`touchpoint_id` text,
	`enrolment_id` text,
	`step_index` integer,
	`source` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`touchpoint_id`) REFERENCES `touchpoints`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tasks_open_assignee_idx` ON `tasks` (`assignee_id`,`show_at`) WHERE "tasks"."state" in ('open', 'snoozed');--> statement-breakpoint
CREATE INDEX `tasks_lead_idx` ON `tasks` (`lead_id`,`state`,`show_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_enrolment_step_idx` ON `tasks` (`enrolment_id`,`step_index`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `recycle_after_days` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
-- A reassignment moves the lead's open tasks to the new owner, whoever changes the owner (a PATCH,
-- routing, an import): the previous owner's tasks, and those of anyone while the lead had no owner.
CREATE TRIGGER `tasks_follow_lead_owner` AFTER UPDATE OF `owner_id` ON `leads`
WHEN NEW.`owner_id` IS NOT NULL AND NEW.`owner_id` IS NOT OLD.`owner_id`
BEGIN
	UPDATE `tasks` SET `assignee_id` = NEW.`owner_id`, `updated_at` = CAST(unixepoch('subsec') * 1000 AS INTEGER)
	WHERE `lead_id` = NEW.`id` AND `state` IN ('open', 'snoozed')
		AND (OLD.`owner_id` IS NULL OR `assignee_id` = OLD.`owner_id`);
END;
