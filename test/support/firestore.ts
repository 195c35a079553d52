// A real Firestore for tests: the in-process emulator on a free loopback port, reached through the real client.
// Nothing is persisted; each call gets its own empty emulator.
import type { Firestore } from "@google-cloud/firestore";
import { emulatorClient } from "../../functions/src/adapters/firestore/connect.ts";
import { startLoopbackEmulator } from "../../functions/src/adapters/firestore/embedded.ts";

export interface TestFirestore {
  db: Firestore;
  /** "127.0.0.1:<port>". */
  host: string;
  projectId: string;
  /** Another client on the same emulator (for wrappers, or a second "process"); stopped by stop(). */
  newClient(): Firestore;
  stop(): Promise<void>;
}

export async function startTestFirestore(projectId = "dondoc-test"): Promise<TestFirestore> {
  const emulator = await startLoopbackEmulator();
  const clients: Firestore[] = [];
  const newClient = () => {
    const client = emulatorClient(emulator.host, projectId);
    clients.push(client);
    return client;
  };
  const db = newClient();
  return {
    db,
    host: emulator.host,
    projectId,
    newClient,
    stop: async () => {
      await Promise.all(clients.map((c) => c.terminate()));
      emulator.stop();
    },
  };
}
