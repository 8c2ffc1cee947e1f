/**
 * The demo province's people and the groups they act for (seed/demo-province.json), used by the command-line client
 * and seeded as accounts by the inbox (records/demoProvince.ts). One province: two stations, one guidance center, one
 * department, one training institution.
 */
import seed from '../seed/demo-province.json';
import type { Actor } from '../workflows/definitions';

export interface DemoUser {
  name: string;
  /** `<id>@qualiflow.example`: where the delivery loop sends this user's group notices. */
  email: string;
  /** The organisation the account belongs to. */
  organisationId: string;
  groups: string[];
}

export const DEMO_USERS: Record<string, DemoUser> = withDemoEmails(seed.people);

function withDemoEmails(users: Record<string, Omit<DemoUser, 'email'>>): Record<string, DemoUser> {
  return Object.fromEntries(
    Object.entries(users).map(([id, user]) => [id, { ...user, email: `${id}@qualiflow.example` }]),
  );
}

export function demoActor(id: string): Actor {
  const user = DEMO_USERS[id];
  if (!user) throw new Error(`Unknown user "${id}"; the demo users are: ${Object.keys(DEMO_USERS).join(', ')}.`);
  return { id, groups: user.groups };
}
