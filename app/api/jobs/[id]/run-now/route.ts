// POST /api/jobs/:id/run-now – alias of /run (and the same 405 answers for the other methods)
export { POST, GET, PUT, PATCH, DELETE, OPTIONS } from "../run/route";
