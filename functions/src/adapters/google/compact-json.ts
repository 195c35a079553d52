// Google answers with indented JSON unless a request says prettyPrint=false: the system parameter defaults to
// true, and the Node clients leave it so. Indented, a sheet's values response is about twice the bytes (each cell
// on a line of its own), so twice the download and twice the text for JSON.parse, for nothing a program reads.
// Every client we build passes this as its default parameters (sheetsClient, driveClient, GmailMailer).
export const COMPACT_JSON = { params: { prettyPrint: false } } as const;
