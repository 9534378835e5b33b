-- Desk accounts get a role: AGENT serves its queues, SUPERVISOR also oversees the connector's team (issue 14).
ALTER TABLE live_agents ADD COLUMN role TEXT NOT NULL DEFAULT 'AGENT';
