CREATE TABLE `owner_open_leads` (
	`workspace_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`open_count` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `owner_id`)
);
--> statement-breakpoint
INSERT INTO `owner_open_leads` (`workspace_id`, `owner_id`, `open_count`)
  SELECT `workspace_id`, `owner_id`, count(*) FROM `leads`
  WHERE `owner_id` IS NOT NULL AND `stage` NOT IN ('won', 'lost')
  GROUP BY `workspace_id`, `owner_id`;
--> statement-breakpoint
CREATE TRIGGER `owner_open_leads_insert` AFTER INSERT ON `leads`
WHEN new.owner_id IS NOT NULL AND new.stage NOT IN ('won', 'lost')
BEGIN
  INSERT INTO `owner_open_leads` (`workspace_id`, `owner_id`, `open_count`) VALUES (new.workspace_id, new.owner_id, 1)
    ON CONFLICT (`workspace_id`, `owner_id`) DO UPDATE SET `open_count` = `open_count` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `owner_open_leads_delete` AFTER DELETE ON `leads`
WHEN old.owner_id IS NOT NULL AND old.stage NOT IN ('won', 'lost')
BEGIN
  UPDATE `owner_open_leads` SET `open_count` = `open_count` - 1
    WHERE `workspace_id` = old.workspace_id AND `owner_id` = old.owner_id;
END;
--> statement-breakpoint
CREATE TRIGGER `owner_open_leads_update` AFTER UPDATE OF `owner_id`, `stage` ON `leads`
WHEN (old.owner_id IS NOT new.owner_id)
  OR ((old.stage IN ('won', 'lost')) IS NOT (new.stage IN ('won', 'lost')))
BEGIN
  UPDATE `owner_open_leads` SET `open_count` = `open_count` - 1
    WHERE old.owner_id IS NOT NULL AND old.stage NOT IN ('won', 'lost')
      AND `workspace_id` = old.workspace_id AND `owner_id` = old.owner_id;
  INSERT INTO `owner_open_leads` (`workspace_id`, `owner_id`, `open_count`)
    SELECT new.workspace_id, new.owner_id, 1
    WHERE new.owner_id IS NOT NULL AND new.stage NOT IN ('won', 'lost')
    ON CONFLICT (`workspace_id`, `owner_id`) DO UPDATE SET `open_count` = `open_count` + 1;
END;
