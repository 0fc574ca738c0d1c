ALTER TABLE `users` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `working_hours` text;--> statement-breakpoint
ALTER TABLE `users` ADD `away_until` integer;