CREATE TABLE `import_mappings` (
	`workspace_id` text NOT NULL,
	`header_key` text NOT NULL,
	`mapping` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `header_key`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `import_rows` (
	`import_id` text NOT NULL,
	`row_no` integer NOT NULL,
	`line` integer NOT NULL,
	`cells` text NOT NULL,
	`outcome` text,
	`reason` text,
	`lead_id` text,
	`before` text,
	`written_at` integer,
	PRIMARY KEY(`import_id`, `row_no`),
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_rows_lead_idx` ON `import_rows` (`import_id`,`lead_id`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`created_by` text NOT NULL,
	`file_name` text NOT NULL,
	`campaign` text,
	`encoding` text NOT NULL,
	`delimiter` text NOT NULL,
	`headers` text NOT NULL,
	`mapping` text NOT NULL,
	`policy` text DEFAULT 'fill' NOT NULL,
	`status` text NOT NULL,
	`total_rows` integer NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`refused` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`dry_run` text,
	`error` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`undone_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `imports_ws_created_idx` ON `imports` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `imports_status_idx` ON `imports` (`status`);