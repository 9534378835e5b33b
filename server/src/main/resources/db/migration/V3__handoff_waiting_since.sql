-- When a conversation that went back to its queue (its agent disconnected) started waiting again:
-- its timeout counts from then, while enqueued_at keeps its place at the head of the queue.
ALTER TABLE handoffs ADD COLUMN waiting_since INTEGER;
