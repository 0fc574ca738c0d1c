ALTER TABLE `leads` ADD `expected_close_date` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `close_reason` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `close_reasons` text;