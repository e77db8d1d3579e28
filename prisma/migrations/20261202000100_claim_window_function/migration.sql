-- The window a claim takes: the oldest due QUEUED executions, in (scheduled_for, queued_at) order,
-- that no running run of their lane holds back, locked FOR UPDATE SKIP LOCKED. A function so that
-- its plan can be fixed: just after a burst of fires is queued, the table's statistics still say
-- few rows are QUEUED, and PostgreSQL then read, joined and sorted all of them for each claim
-- (40 ms with 7,000 queued) instead of walking the claim-order index and stopping at the limit
-- (1-2 ms). Bitmap scans and sorts are switched off for this function only. ROWS tells the
-- statement around it to expect a claim's few dozen rows (the default, 1,000, made it hash-join
-- the executions table to update them).
CREATE FUNCTION tickwork_claim_window(p_limit int)
RETURNS TABLE (id uuid, job_id uuid, serial boolean, backfill boolean)
LANGUAGE sql VOLATILE
ROWS 50
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
  SELECT c.id, c.job_id, COALESCE(j.overlap_policy IN ('queue', 'replace'), false), c.trigger = 'backfill'
  FROM executions c
  LEFT JOIN jobs j ON j.id = c.job_id
  WHERE c.status = 'QUEUED' AND c.scheduled_for <= now()
    -- Serial jobs (overlap queue/replace): nothing of the job is running.
    AND (j.overlap_policy IS NULL OR j.overlap_policy IN ('skip', 'allow')
         OR NOT EXISTS (SELECT 1 FROM executions r WHERE r.job_id = c.job_id AND r.status = 'RUNNING'))
    -- Backfill runs: no other backfill run of the job is running.
    AND (c.trigger <> 'backfill'
         OR NOT EXISTS (SELECT 1 FROM executions b WHERE b.job_id = c.job_id AND b.trigger = 'backfill' AND b.status = 'RUNNING'))
  ORDER BY c.scheduled_for, c.queued_at
  LIMIT p_limit
  FOR UPDATE OF c SKIP LOCKED
$$;
