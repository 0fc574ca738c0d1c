CREATE TABLE `funnel_days` (
	`workspace_id` text NOT NULL,
	`day` integer NOT NULL,
	`n0` integer NOT NULL,
	`n1` integer NOT NULL,
	`n2` integer NOT NULL,
	`n3` integer NOT NULL,
	`n4` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`)
);
--> statement-breakpoint
-- The day of an epoch-ms time is floored (a time before 1970 belongs to the day before), and a row
-- whose n0 falls to 0 is deleted, so the table is always what a GROUP BY over lead_facts would give.
INSERT INTO funnel_days (workspace_id, day, n0, n1, n2, n3, n4)
SELECT workspace_id, (created_at / 86400000 - (created_at % 86400000 < 0)), count(*), sum(reach >= 1), sum(reach >= 2), sum(reach >= 3), sum(reach >= 4)
FROM lead_facts GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER `funnel_days_facts_insert` AFTER INSERT ON `lead_facts`
BEGIN
  INSERT INTO funnel_days (workspace_id, day, n0, n1, n2, n3, n4)
  VALUES (new.workspace_id, (new.created_at / 86400000 - (new.created_at % 86400000 < 0)), 1, new.reach >= 1, new.reach >= 2, new.reach >= 3, new.reach >= 4)
  ON CONFLICT (workspace_id, day) DO UPDATE SET n0 = n0 + 1, n1 = n1 + excluded.n1, n2 = n2 + excluded.n2,
    n3 = n3 + excluded.n3, n4 = n4 + excluded.n4;
END;
--> statement-breakpoint
CREATE TRIGGER `funnel_days_facts_delete` AFTER DELETE ON `lead_facts`
BEGIN
  UPDATE funnel_days SET n0 = n0 - 1, n1 = n1 - (old.reach >= 1), n2 = n2 - (old.reach >= 2),
    n3 = n3 - (old.reach >= 3), n4 = n4 - (old.reach >= 4)
  WHERE workspace_id = old.workspace_id AND day = (old.created_at / 86400000 - (old.created_at % 86400000 < 0));
  DELETE FROM funnel_days WHERE workspace_id = old.workspace_id AND day = (old.created_at / 86400000 - (old.created_at % 86400000 < 0)) AND n0 = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `funnel_days_facts_update` AFTER UPDATE ON `lead_facts`
WHEN old.workspace_id IS NOT new.workspace_id OR old.created_at IS NOT new.created_at OR old.reach IS NOT new.reach
BEGIN
  UPDATE funnel_days SET n0 = n0 - 1, n1 = n1 - (old.reach >= 1), n2 = n2 - (old.reach >= 2),
    n3 = n3 - (old.reach >= 3), n4 = n4 - (old.reach >= 4)
  WHERE workspace_id = old.workspace_id AND day = (old.created_at / 86400000 - (old.created_at % 86400000 < 0));
  DELETE FROM funnel_days WHERE workspace_id = old.workspace_id AND day = (old.created_at / 86400000 - (old.created_at % 86400000 < 0)) AND n0 = 0;
  INSERT INTO funnel_days (workspace_id, day, n0, n1, n2, n3, n4)
  VALUES (new.workspace_id, (new.created_at / 86400000 - (new.created_at % 86400000 < 0)), 1, new.reach >= 1, new.reach >= 2, new.reach >= 3, new.reach >= 4)
  ON CONFLICT (workspace_id, day) DO UPDATE SET n0 = n0 + 1, n1 = n1 + excluded.n1, n2 = n2 + excluded.n2,
    n3 = n3 + excluded.n3, n4 = n4 + excluded.n4;
END;
