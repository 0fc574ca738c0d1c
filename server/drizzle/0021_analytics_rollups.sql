CREATE TABLE `deal_credit_refresh` (
	`lead_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deal_credits` (
	`lead_id` text NOT NULL,
	`model` text NOT NULL,
	`channel` text NOT NULL,
	`cents` integer NOT NULL,
	PRIMARY KEY(`lead_id`, `model`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `lead_facts` (
	`lead_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`owner_id` text,
	`source_channel` text NOT NULL,
	`utm_source` text,
	`utm_campaign` text,
	`stage` text NOT NULL,
	`deal_value` real,
	`closed_updated_at` integer,
	`change_reach` integer DEFAULT -1 NOT NULL,
	`mql_at` integer,
	`opp_at` integer,
	`won_change_at` integer,
	`lost_change_at` integer,
	`first_outbound_at` integer,
	`created_month` text GENERATED ALWAYS AS (strftime('%Y-%m', created_at / 1000, 'unixepoch')) STORED NOT NULL,
	`reach` integer GENERATED ALWAYS AS (max((case stage when 'new' then 0 when 'mql' then 1 when 'sql' then 2 when 'opportunity' then 3 when 'won' then 4 else -1 end), change_reach)) STORED NOT NULL,
	`qualified_at` integer GENERATED ALWAYS AS (coalesce(mql_at, case when (case stage when 'new' then 0 when 'mql' then 1 when 'sql' then 2 when 'opportunity' then 3 when 'won' then 4 else -1 end) >= 1 then created_at end)) STORED,
	`qualified_month` text GENERATED ALWAYS AS (strftime('%Y-%m', coalesce(mql_at, case when (case stage when 'new' then 0 when 'mql' then 1 when 'sql' then 2 when 'opportunity' then 3 when 'won' then 4 else -1 end) >= 1 then created_at end) / 1000, 'unixepoch')) STORED,
	`closed_at` integer GENERATED ALWAYS AS (case stage when 'won' then coalesce(won_change_at, closed_updated_at) when 'lost' then coalesce(lost_change_at, closed_updated_at) end) STORED,
	`speed_ms` integer GENERATED ALWAYS AS (max(0, first_outbound_at - created_at)) STORED
);
--> statement-breakpoint
CREATE INDEX `lead_facts_cohort_idx` ON `lead_facts` (`workspace_id`,`created_month`,`created_at`,`reach`,`speed_ms`,`owner_id`,`source_channel`,`utm_campaign`);--> statement-breakpoint
CREATE INDEX `lead_facts_source_idx` ON `lead_facts` (`workspace_id`,`source_channel`,`utm_source`,`utm_campaign`,`created_at`,`reach`,`stage`,`deal_value`,`owner_id`);--> statement-breakpoint
CREATE INDEX `lead_facts_speed_idx` ON `lead_facts` (`workspace_id`,`speed_ms`,`created_at`,`owner_id`,`source_channel`,`utm_campaign`);--> statement-breakpoint
CREATE INDEX `lead_facts_qualified_idx` ON `lead_facts` (`workspace_id`,`qualified_month`,`qualified_at`,`owner_id`,`source_channel`,`utm_campaign`);--> statement-breakpoint
CREATE INDEX `lead_facts_stage_idx` ON `lead_facts` (`workspace_id`,`stage`,`closed_at`,`created_at`,`deal_value`,`owner_id`,`source_channel`,`utm_campaign`,`lead_id`);--> statement-breakpoint
CREATE TABLE `lead_stays` (
	`change_id` text PRIMARY KEY NOT NULL,
	`lead_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`stage` text NOT NULL,
	`at` integer NOT NULL,
	`ms` integer,
	`created_at` integer NOT NULL,
	`owner_id` text,
	`source_channel` text NOT NULL,
	`utm_campaign` text
);
--> statement-breakpoint
CREATE INDEX `lead_stays_lead_idx` ON `lead_stays` (`lead_id`,`at`);--> statement-breakpoint
CREATE INDEX `lead_stays_median_idx` ON `lead_stays` (`workspace_id`,`stage`,`ms`,`created_at`,`owner_id`,`source_channel`,`utm_campaign`);--> statement-breakpoint
CREATE TABLE `touch_weeks` (
	`workspace_id` text NOT NULL,
	`week` integer NOT NULL,
	`user_key` text NOT NULL,
	`type` text NOT NULL,
	`channel_key` text NOT NULL,
	`campaign_key` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `week`, `user_key`, `type`, `channel_key`, `campaign_key`)
);
--> statement-breakpoint
CREATE TRIGGER `deal_credits_refresh` AFTER INSERT ON `deal_credit_refresh`
BEGIN
  DELETE FROM deal_credits WHERE lead_id = new.lead_id;
  INSERT INTO deal_credits (lead_id, model, channel, cents)
    SELECT new.lead_id, model, channel, sum(credit) FROM (
      SELECT model, channel,
        base + (CASE WHEN k <= left_over THEN 1 WHEN left_over < 0 AND k > n + left_over THEN -1 ELSE 0 END) AS credit
      FROM (
        SELECT model, channel, n, base, cents - sum(base) OVER (PARTITION BY model) AS left_over,
          row_number() OVER (PARTITION BY model ORDER BY exact - base DESC, rn) AS k
        FROM (
          SELECT model, channel, rn, n, cents, exact, CAST(exact AS INTEGER) AS base FROM (
            SELECT m.model, x.channel, x.rn, x.n, x.cents, x.cents * (CASE m.model
              WHEN 'first_touch' THEN (CASE WHEN x.rn = 1 THEN 1.0 ELSE 0.0 END)
              WHEN 'last_touch' THEN (CASE WHEN x.rn = x.n THEN 1.0 ELSE 0.0 END)
              WHEN 'linear' THEN (1.0 / x.n)
              WHEN 'u_shaped' THEN (CASE WHEN x.n = 1 THEN 1.0 WHEN x.n = 2 THEN 0.5 WHEN x.rn = 1 OR x.rn = x.n THEN 0.4 ELSE 0.2 / (x.n - 2) END)
              WHEN 'w_shaped' THEN (((x.rn = 1) + (x.rn = x.mql_rn) + (x.rn = x.opp_rn)) * (0.3 + (CASE WHEN x.n = x.anchors THEN 0.1 / 3 ELSE 0.0 END))
                + (CASE WHEN x.rn <> 1 AND x.rn <> x.mql_rn AND x.rn <> x.opp_rn THEN 0.1 / (x.n - x.anchors) ELSE 0.0 END))
              ELSE (exp(0.6931471805599453 * (x.at - x.last_at) / 604800000) / x.decay_sum) END) AS exact
            FROM (SELECT d.*, coalesce(t.channel, d.source_channel) AS channel, t.occurred_at AS at,
              row_number() OVER (ORDER BY t.occurred_at, t.id) AS rn
            FROM touchpoints t, (SELECT c.*, 1 + (c.mql_rn <> 1) + (c.opp_rn <> 1 AND c.opp_rn <> c.mql_rn) AS anchors,
                (SELECT sum(exp(0.6931471805599453 * (u.occurred_at - c.last_at) / 604800000)) FROM touchpoints u
                  WHERE u.lead_id = new.lead_id AND u.occurred_at <= c.won_at) AS decay_sum
              FROM (
                SELECT f.source_channel, f.won_at, f.cents,
                  (SELECT count(*) FROM touchpoints t WHERE t.lead_id = new.lead_id AND t.occurred_at <= f.won_at) AS n,
                  (SELECT max(t.occurred_at) FROM touchpoints t WHERE t.lead_id = new.lead_id AND t.occurred_at <= f.won_at) AS last_at,
                  max(1, (SELECT count(*) FROM touchpoints t WHERE t.lead_id = new.lead_id AND t.occurred_at <= f.won_at
                    AND t.occurred_at <= coalesce(f.mql_at, f.won_at))) AS mql_rn,
                  max(1, (SELECT count(*) FROM touchpoints t WHERE t.lead_id = new.lead_id AND t.occurred_at <= f.won_at
                    AND t.occurred_at <= coalesce(f.opp_at, f.won_at))) AS opp_rn
                FROM (SELECT source_channel, closed_at AS won_at, mql_at, opp_at, CAST(round(coalesce(lead_facts.deal_value, 0) * 100) AS INTEGER) AS cents
                  FROM lead_facts WHERE lead_id = new.lead_id AND stage = 'won') f
              ) c) d
            WHERE t.lead_id = new.lead_id AND t.occurred_at <= d.won_at) x, (SELECT 'first_touch' AS model UNION ALL SELECT 'last_touch' UNION ALL SELECT 'linear' UNION ALL SELECT 'u_shaped' UNION ALL SELECT 'w_shaped' UNION ALL SELECT 'time_decay') m
          )
        )
      )
    )
    GROUP BY model, channel HAVING sum(credit) <> 0;
  INSERT INTO deal_credits (lead_id, model, channel, cents)
    SELECT new.lead_id, m.model, f.source_channel, CAST(round(coalesce(f.deal_value, 0) * 100) AS INTEGER)
    FROM lead_facts f, (SELECT 'first_touch' AS model UNION ALL SELECT 'last_touch' UNION ALL SELECT 'linear' UNION ALL SELECT 'u_shaped' UNION ALL SELECT 'w_shaped' UNION ALL SELECT 'time_decay') m
    WHERE f.lead_id = new.lead_id AND f.stage = 'won' AND CAST(round(coalesce(f.deal_value, 0) * 100) AS INTEGER) <> 0
      AND NOT EXISTS (SELECT 1 FROM touchpoints t WHERE t.lead_id = new.lead_id AND t.occurred_at <= f.closed_at);
  DELETE FROM deal_credit_refresh WHERE lead_id = new.lead_id;
END;
--> statement-breakpoint
CREATE TRIGGER `deal_credits_facts_insert` AFTER INSERT ON `lead_facts` WHEN new.stage = 'won'
BEGIN
  INSERT INTO deal_credit_refresh (lead_id) VALUES (new.lead_id);
END;
--> statement-breakpoint
CREATE TRIGGER `deal_credits_facts_update` AFTER UPDATE ON `lead_facts`
WHEN (old.stage = 'won' OR new.stage = 'won') AND (old.stage IS NOT new.stage OR old.closed_at IS NOT new.closed_at
  OR old.mql_at IS NOT new.mql_at OR old.opp_at IS NOT new.opp_at OR old.deal_value IS NOT new.deal_value
  OR old.source_channel IS NOT new.source_channel)
BEGIN
  INSERT INTO deal_credit_refresh (lead_id) VALUES (new.lead_id);
END;
--> statement-breakpoint
INSERT INTO lead_facts (lead_id, workspace_id, created_at, owner_id, source_channel, utm_source, utm_campaign, stage,
  deal_value, closed_updated_at, change_reach, mql_at, opp_at, won_change_at, lost_change_at, first_outbound_at)
SELECT l.id, l.workspace_id, l.created_at, l.owner_id, l.source_channel, l.utm_source, l.utm_campaign, l.stage,
  l.deal_value, CASE WHEN l.stage IN ('won', 'lost') THEN l.updated_at END,
  coalesce((SELECT max((CASE sc.to_stage WHEN 'new' THEN 0 WHEN 'mql' THEN 1 WHEN 'sql' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'won' THEN 4 ELSE -1 END)) FROM stage_changes sc WHERE sc.lead_id = l.id), -1),
  (SELECT min(sc.at) FROM stage_changes sc WHERE sc.lead_id = l.id AND sc.to_stage IN ('mql', 'sql', 'opportunity', 'won')),
  (SELECT min(sc.at) FROM stage_changes sc WHERE sc.lead_id = l.id AND sc.to_stage IN ('opportunity', 'won')),
  (SELECT max(sc.at) FROM stage_changes sc WHERE sc.lead_id = l.id AND sc.to_stage = 'won'),
  (SELECT max(sc.at) FROM stage_changes sc WHERE sc.lead_id = l.id AND sc.to_stage = 'lost'),
  (SELECT min(t.occurred_at) FROM touchpoints t WHERE t.lead_id = l.id AND t.type IN ('email_sent', 'linkedin_connect_sent', 'call_attempted', 'call_connected', 'meeting_booked'))
FROM leads l;
--> statement-breakpoint
INSERT INTO lead_stays (change_id, lead_id, workspace_id, stage, at, ms, created_at, owner_id, source_channel, utm_campaign)
SELECT sc.id, sc.lead_id, f.workspace_id, sc.to_stage, sc.at,
  (SELECT min(x.at) FROM stage_changes x WHERE x.lead_id = sc.lead_id AND x.at > sc.at) - sc.at,
  f.created_at, f.owner_id, f.source_channel, f.utm_campaign
FROM stage_changes sc JOIN lead_facts f ON f.lead_id = sc.lead_id
WHERE sc.to_stage IN ('new', 'mql', 'sql', 'opportunity');
--> statement-breakpoint
INSERT INTO touch_weeks (workspace_id, week, user_key, type, channel_key, campaign_key, n)
SELECT t.workspace_id, ((t.occurred_at - 345600000) / 604800000), coalesce(t.user_id, ''), t.type, coalesce(t.channel, f.source_channel),
  coalesce(f.utm_campaign, ''), count(*)
FROM touchpoints t JOIN lead_facts f ON f.lead_id = t.lead_id GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_lead_insert` AFTER INSERT ON `leads`
BEGIN
  INSERT INTO lead_facts (lead_id, workspace_id, created_at, owner_id, source_channel, utm_source, utm_campaign, stage,
    deal_value, closed_updated_at)
  VALUES (new.id, new.workspace_id, new.created_at, new.owner_id, new.source_channel, new.utm_source, new.utm_campaign,
    new.stage, new.deal_value, CASE WHEN new.stage IN ('won', 'lost') THEN new.updated_at END);
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_lead_update`
AFTER UPDATE OF workspace_id, created_at, owner_id, source_channel, utm_source, utm_campaign, stage, deal_value, updated_at ON `leads`
WHEN old.workspace_id IS NOT new.workspace_id OR old.created_at IS NOT new.created_at OR old.owner_id IS NOT new.owner_id
  OR old.source_channel IS NOT new.source_channel OR old.utm_source IS NOT new.utm_source
  OR old.utm_campaign IS NOT new.utm_campaign OR old.stage IS NOT new.stage OR old.deal_value IS NOT new.deal_value
  OR (new.stage IN ('won', 'lost') AND old.updated_at IS NOT new.updated_at)
BEGIN
  UPDATE lead_facts SET workspace_id = new.workspace_id, created_at = new.created_at, owner_id = new.owner_id,
    source_channel = new.source_channel, utm_source = new.utm_source, utm_campaign = new.utm_campaign,
    stage = new.stage, deal_value = new.deal_value,
    closed_updated_at = CASE WHEN new.stage IN ('won', 'lost') THEN new.updated_at END
  WHERE lead_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_stays_lead_update`
AFTER UPDATE OF workspace_id, created_at, owner_id, source_channel, utm_campaign ON `leads`
WHEN old.workspace_id IS NOT new.workspace_id OR old.created_at IS NOT new.created_at OR old.owner_id IS NOT new.owner_id
  OR old.source_channel IS NOT new.source_channel OR old.utm_campaign IS NOT new.utm_campaign
BEGIN
  UPDATE lead_stays SET workspace_id = new.workspace_id, created_at = new.created_at, owner_id = new.owner_id,
    source_channel = new.source_channel, utm_campaign = new.utm_campaign
  WHERE lead_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_lead_delete` AFTER DELETE ON `leads`
BEGIN
  DELETE FROM lead_facts WHERE lead_id = old.id;
  DELETE FROM lead_stays WHERE lead_id = old.id;
  DELETE FROM deal_credits WHERE lead_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `touch_weeks_lead_source` AFTER UPDATE OF source_channel, utm_campaign ON `lead_facts`
WHEN old.source_channel IS NOT new.source_channel OR old.utm_campaign IS NOT new.utm_campaign
BEGIN
  UPDATE touch_weeks SET n = n - (
      SELECT count(*) FROM touchpoints t
      WHERE t.lead_id = new.lead_id AND t.workspace_id = touch_weeks.workspace_id AND ((t.occurred_at - 345600000) / 604800000) = touch_weeks.week
        AND coalesce(t.user_id, '') = touch_weeks.user_key AND t.type = touch_weeks.type
        AND coalesce(t.channel, old.source_channel) = touch_weeks.channel_key)
    WHERE campaign_key = coalesce(old.utm_campaign, '') AND (workspace_id, week, user_key, type, channel_key) IN (
      SELECT t.workspace_id, ((t.occurred_at - 345600000) / 604800000), coalesce(t.user_id, ''), t.type, coalesce(t.channel, old.source_channel)
      FROM touchpoints t WHERE t.lead_id = new.lead_id);
  DELETE FROM touch_weeks WHERE n = 0 AND campaign_key = coalesce(old.utm_campaign, '')
    AND (workspace_id, week, user_key, type, channel_key) IN (
      SELECT t.workspace_id, ((t.occurred_at - 345600000) / 604800000), coalesce(t.user_id, ''), t.type, coalesce(t.channel, old.source_channel)
      FROM touchpoints t WHERE t.lead_id = new.lead_id);
  INSERT INTO touch_weeks (workspace_id, week, user_key, type, channel_key, campaign_key, n)
    SELECT t.workspace_id, ((t.occurred_at - 345600000) / 604800000), coalesce(t.user_id, ''), t.type, coalesce(t.channel, new.source_channel),
      coalesce(new.utm_campaign, ''), count(*)
    FROM touchpoints t WHERE t.lead_id = new.lead_id GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (workspace_id, week, user_key, type, channel_key, campaign_key) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_change_insert` AFTER INSERT ON `stage_changes`
BEGIN
  UPDATE lead_facts SET
    change_reach = max(change_reach, (CASE new.to_stage WHEN 'new' THEN 0 WHEN 'mql' THEN 1 WHEN 'sql' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'won' THEN 4 ELSE -1 END)),
    mql_at = CASE WHEN new.to_stage IN ('mql', 'sql', 'opportunity', 'won') AND (mql_at IS NULL OR new.at < mql_at) THEN new.at ELSE mql_at END,
    opp_at = CASE WHEN new.to_stage IN ('opportunity', 'won') AND (opp_at IS NULL OR new.at < opp_at) THEN new.at ELSE opp_at END,
    won_change_at = CASE WHEN new.to_stage = 'won' AND (won_change_at IS NULL OR new.at > won_change_at) THEN new.at ELSE won_change_at END,
    lost_change_at = CASE WHEN new.to_stage = 'lost' AND (lost_change_at IS NULL OR new.at > lost_change_at) THEN new.at ELSE lost_change_at END
  WHERE lead_id = new.lead_id;
  UPDATE lead_stays SET ms = new.at - at
    WHERE lead_id = new.lead_id AND at < new.at AND (ms IS NULL OR at + ms > new.at);
  INSERT INTO lead_stays (change_id, lead_id, workspace_id, stage, at, ms, created_at, owner_id, source_channel, utm_campaign)
    SELECT new.id, new.lead_id, f.workspace_id, new.to_stage, new.at,
      (SELECT min(x.at) FROM stage_changes x WHERE x.lead_id = new.lead_id AND x.at > new.at) - new.at,
      f.created_at, f.owner_id, f.source_channel, f.utm_campaign
    FROM lead_facts f WHERE f.lead_id = new.lead_id AND new.to_stage IN ('new', 'mql', 'sql', 'opportunity');
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_change_delete` AFTER DELETE ON `stage_changes`
WHEN EXISTS (SELECT 1 FROM leads l WHERE l.id = old.lead_id)
BEGIN
  UPDATE lead_facts SET
    change_reach = coalesce((SELECT max((CASE sc.to_stage WHEN 'new' THEN 0 WHEN 'mql' THEN 1 WHEN 'sql' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'won' THEN 4 ELSE -1 END)) FROM stage_changes sc WHERE sc.lead_id = old.lead_id), -1),
    mql_at = (SELECT min(sc.at) FROM stage_changes sc WHERE sc.lead_id = old.lead_id AND sc.to_stage IN ('mql', 'sql', 'opportunity', 'won')),
    opp_at = (SELECT min(sc.at) FROM stage_changes sc WHERE sc.lead_id = old.lead_id AND sc.to_stage IN ('opportunity', 'won')),
    won_change_at = (SELECT max(sc.at) FROM stage_changes sc WHERE sc.lead_id = old.lead_id AND sc.to_stage = 'won'),
    lost_change_at = (SELECT max(sc.at) FROM stage_changes sc WHERE sc.lead_id = old.lead_id AND sc.to_stage = 'lost')
  WHERE lead_id = old.lead_id;
  DELETE FROM lead_stays WHERE change_id = old.id;
  UPDATE lead_stays SET ms = (SELECT min(x.at) FROM stage_changes x WHERE x.lead_id = old.lead_id AND x.at > lead_stays.at) - at
    WHERE lead_id = old.lead_id AND at < old.at AND at + ms = old.at;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_change_update` AFTER UPDATE ON `stage_changes`
BEGIN
  UPDATE lead_facts SET
    change_reach = coalesce((SELECT max((CASE sc.to_stage WHEN 'new' THEN 0 WHEN 'mql' THEN 1 WHEN 'sql' THEN 2 WHEN 'opportunity' THEN 3 WHEN 'won' THEN 4 ELSE -1 END)) FROM stage_changes sc WHERE sc.lead_id = lead_facts.lead_id), -1),
    mql_at = (SELECT min(sc.at) FROM stage_changes sc WHERE sc.lead_id = lead_facts.lead_id AND sc.to_stage IN ('mql', 'sql', 'opportunity', 'won')),
    opp_at = (SELECT min(sc.at) FROM stage_changes sc WHERE sc.lead_id = lead_facts.lead_id AND sc.to_stage IN ('opportunity', 'won')),
    won_change_at = (SELECT max(sc.at) FROM stage_changes sc WHERE sc.lead_id = lead_facts.lead_id AND sc.to_stage = 'won'),
    lost_change_at = (SELECT max(sc.at) FROM stage_changes sc WHERE sc.lead_id = lead_facts.lead_id AND sc.to_stage = 'lost')
  WHERE lead_id IN (old.lead_id, new.lead_id);
  DELETE FROM lead_stays WHERE change_id = old.id;
  UPDATE lead_stays SET ms = (SELECT min(x.at) FROM stage_changes x WHERE x.lead_id = old.lead_id AND x.at > lead_stays.at) - at
    WHERE lead_id = old.lead_id AND at < old.at AND at + ms = old.at;
  UPDATE lead_stays SET ms = new.at - at
    WHERE lead_id = new.lead_id AND at < new.at AND (ms IS NULL OR at + ms > new.at);
  INSERT INTO lead_stays (change_id, lead_id, workspace_id, stage, at, ms, created_at, owner_id, source_channel, utm_campaign)
    SELECT new.id, new.lead_id, f.workspace_id, new.to_stage, new.at,
      (SELECT min(x.at) FROM stage_changes x WHERE x.lead_id = new.lead_id AND x.at > new.at) - new.at,
      f.created_at, f.owner_id, f.source_channel, f.utm_campaign
    FROM lead_facts f WHERE f.lead_id = new.lead_id AND new.to_stage IN ('new', 'mql', 'sql', 'opportunity');
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_touch_insert` AFTER INSERT ON `touchpoints` WHEN new.type IN ('email_sent', 'linkedin_connect_sent', 'call_attempted', 'call_connected', 'meeting_booked')
BEGIN
  UPDATE lead_facts SET first_outbound_at = new.occurred_at
  WHERE lead_id = new.lead_id AND (first_outbound_at IS NULL OR first_outbound_at > new.occurred_at);
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_touch_delete` AFTER DELETE ON `touchpoints`
WHEN old.type IN ('email_sent', 'linkedin_connect_sent', 'call_attempted', 'call_connected', 'meeting_booked') AND EXISTS (SELECT 1 FROM leads l WHERE l.id = old.lead_id)
BEGIN
  UPDATE lead_facts SET first_outbound_at = (SELECT min(t.occurred_at) FROM touchpoints t WHERE t.lead_id = old.lead_id AND t.type IN ('email_sent', 'linkedin_connect_sent', 'call_attempted', 'call_connected', 'meeting_booked'))
  WHERE lead_id = old.lead_id AND first_outbound_at = old.occurred_at;
END;
--> statement-breakpoint
CREATE TRIGGER `lead_facts_touch_update` AFTER UPDATE OF lead_id, type, occurred_at ON `touchpoints`
BEGIN
  UPDATE lead_facts SET first_outbound_at = (SELECT min(t.occurred_at) FROM touchpoints t WHERE t.lead_id = lead_facts.lead_id AND t.type IN ('email_sent', 'linkedin_connect_sent', 'call_attempted', 'call_connected', 'meeting_booked'))
  WHERE lead_id IN (old.lead_id, new.lead_id);
END;
--> statement-breakpoint
CREATE TRIGGER `touch_weeks_insert` AFTER INSERT ON `touchpoints`
BEGIN
  INSERT INTO touch_weeks (workspace_id, week, user_key, type, channel_key, campaign_key, n)
    SELECT new.workspace_id, ((new.occurred_at - 345600000) / 604800000), coalesce(new.user_id, ''), new.type,
      coalesce(new.channel, f.source_channel), coalesce(f.utm_campaign, ''), 1
    FROM lead_facts f WHERE f.lead_id = new.lead_id
    ON CONFLICT (workspace_id, week, user_key, type, channel_key, campaign_key) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `touch_weeks_delete` AFTER DELETE ON `touchpoints`
BEGIN
  UPDATE touch_weeks SET n = n - 1
    WHERE workspace_id = old.workspace_id AND week = ((old.occurred_at - 345600000) / 604800000) AND user_key = coalesce(old.user_id, '')
    AND type = old.type
    AND channel_key = coalesce(old.channel, (SELECT f.source_channel FROM lead_facts f WHERE f.lead_id = old.lead_id))
    AND campaign_key = coalesce((SELECT f.utm_campaign FROM lead_facts f WHERE f.lead_id = old.lead_id), '');
  DELETE FROM touch_weeks
    WHERE workspace_id = old.workspace_id AND week = ((old.occurred_at - 345600000) / 604800000) AND user_key = coalesce(old.user_id, '')
    AND type = old.type
    AND channel_key = coalesce(old.channel, (SELECT f.source_channel FROM lead_facts f WHERE f.lead_id = old.lead_id))
    AND campaign_key = coalesce((SELECT f.utm_campaign FROM lead_facts f WHERE f.lead_id = old.lead_id), '') AND n = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `touch_weeks_update` AFTER UPDATE OF workspace_id, lead_id, user_id, type, occurred_at, channel ON `touchpoints`
BEGIN
  UPDATE touch_weeks SET n = n - 1
    WHERE workspace_id = old.workspace_id AND week = ((old.occurred_at - 345600000) / 604800000) AND user_key = coalesce(old.user_id, '')
    AND type = old.type
    AND channel_key = coalesce(old.channel, (SELECT f.source_channel FROM lead_facts f WHERE f.lead_id = old.lead_id))
    AND campaign_key = coalesce((SELECT f.utm_campaign FROM lead_facts f WHERE f.lead_id = old.lead_id), '');
  DELETE FROM touch_weeks
    WHERE workspace_id = old.workspace_id AND week = ((old.occurred_at - 345600000) / 604800000) AND user_key = coalesce(old.user_id, '')
    AND type = old.type
    AND channel_key = coalesce(old.channel, (SELECT f.source_channel FROM lead_facts f WHERE f.lead_id = old.lead_id))
    AND campaign_key = coalesce((SELECT f.utm_campaign FROM lead_facts f WHERE f.lead_id = old.lead_id), '') AND n = 0;
  INSERT INTO touch_weeks (workspace_id, week, user_key, type, channel_key, campaign_key, n)
    SELECT new.workspace_id, ((new.occurred_at - 345600000) / 604800000), coalesce(new.user_id, ''), new.type,
      coalesce(new.channel, f.source_channel), coalesce(f.utm_campaign, ''), 1
    FROM lead_facts f WHERE f.lead_id = new.lead_id
    ON CONFLICT (workspace_id, week, user_key, type, channel_key, campaign_key) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deal_credits_touch_insert` AFTER INSERT ON `touchpoints`
WHEN new.occurred_at <= (SELECT closed_at FROM lead_facts WHERE lead_id = new.lead_id AND stage = 'won')
BEGIN
  INSERT INTO deal_credit_refresh (lead_id) VALUES (new.lead_id);
END;
--> statement-breakpoint
CREATE TRIGGER `deal_credits_touch_delete` AFTER DELETE ON `touchpoints`
WHEN old.occurred_at <= (SELECT closed_at FROM lead_facts WHERE lead_id = old.lead_id AND stage = 'won')
  AND EXISTS (SELECT 1 FROM leads l WHERE l.id = old.lead_id)
BEGIN
  INSERT INTO deal_credit_refresh (lead_id) VALUES (old.lead_id);
END;
--> statement-breakpoint
CREATE TRIGGER `deal_credits_touch_update` AFTER UPDATE ON `touchpoints`
BEGIN
  INSERT INTO deal_credit_refresh (lead_id)
    SELECT lead_id FROM lead_facts WHERE lead_id IN (old.lead_id, new.lead_id) AND stage = 'won';
END;
