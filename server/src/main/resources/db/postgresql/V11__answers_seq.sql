-- Issue 11: which turn an AI agent output answers (the sequence of the user message echo, or of the
-- agent's join for a greeting). Internal: never sent to clients. NULL on every other event and on
-- events journaled before this column; UnansweredTurns then keeps the old rule (any completed agent
-- output settles everything before it). Adding a nullable column without a default rewrites nothing.
ALTER TABLE events ADD COLUMN answers_seq bigint;
