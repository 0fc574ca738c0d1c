CREATE TABLE `cache_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);--> statement-breakpoint
INSERT INTO `cache_versions` (`id`, `version`) VALUES (1, 0);--> statement-breakpoint
CREATE TRIGGER `api_tokens_insert_cache_version` AFTER INSERT ON `api_tokens` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `api_tokens_update_cache_version` AFTER UPDATE ON `api_tokens` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `api_tokens_delete_cache_version` AFTER DELETE ON `api_tokens` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `users_insert_cache_version` AFTER INSERT ON `users` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `users_update_cache_version` AFTER UPDATE ON `users` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `users_delete_cache_version` AFTER DELETE ON `users` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `workspaces_insert_cache_version` AFTER INSERT ON `workspaces` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `workspaces_update_cache_version` AFTER UPDATE ON `workspaces` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `workspaces_delete_cache_version` AFTER DELETE ON `workspaces` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `scoring_models_insert_cache_version` AFTER INSERT ON `scoring_models` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `scoring_models_update_cache_version` AFTER UPDATE ON `scoring_models` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `scoring_models_delete_cache_version` AFTER DELETE ON `scoring_models` BEGIN UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `id` = 1; END;
