/** The first 8 characters of a uuid: how the console names runs ("run 1a2b3c4d") and unlisted jobs. */
export const shortId = (id: string) => id.slice(0, 8);
