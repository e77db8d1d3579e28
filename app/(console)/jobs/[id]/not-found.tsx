import Link from "next/link";

export default function JobNotFound() {
  return (
    <div className="empty" data-testid="job-not-found">
      <h1>Job not found</h1>
      <p>There is no job with this id; it may have been deleted.</p>
      <Link href="/jobs">Back to all jobs</Link>
    </div>
  );
}
