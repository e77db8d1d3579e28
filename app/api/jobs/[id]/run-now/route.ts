// POST /api/jobs/:id/run-now – alias of /run
export { POST } from "../run/route";
