// Says that this console is a review deployment (a Vercel preview, or TICKWORK_PREVIEW=1), with its
// branch and commit, so nobody mistakes it for production.
import { previewInfo } from "@/lib/env";

export function PreviewBanner() {
  const preview = previewInfo();
  if (!preview) return null;
  return (
    <div className="preview-banner" role="note" data-testid="preview-banner">
      <strong>Preview</strong>
      {preview.branch ? <span> of branch {preview.branch}</span> : null}
      {preview.commit ? <span> at {preview.commit}</span> : null}
      <span>: a review deployment. Its database and jobs are its own.</span>
    </div>
  );
}
