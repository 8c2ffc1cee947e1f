/**
 * The key the encrypted histories in histories/ were recorded with. A test key, committed on purpose: a history kept
 * for replay must stay readable, and it holds only the made-up candidates of test/helpers/applications.ts.
 */
import type { PayloadKeys } from '../../runtime/encryption/keys';

export const REPLAY_PAYLOAD_KEYS: PayloadKeys = {
  encryptWith: 'replay-2026-11',
  keys: new Map([['replay-2026-11', Buffer.from('OHOs3iswW53TIPB8HvSxtokw6rEw7IC8peRCezLrN3s=', 'base64')]]),
};
