/**
 * The demo province's people and the groups they act for, used by the command-line client (and seeded as accounts
 * by the inbox). One province: two stations, one guidance center, one department, one training institution.
 */
import type { Actor } from '../workflows/definitions';

export interface DemoUser {
  name: string;
  /** `<id>@qualiflow.example`: where the delivery loop sends this user's group notices. */
  email: string;
  groups: string[];
}

export const DEMO_USERS: Record<string, DemoUser> = withDemoEmails({
  'sun.clerk': { name: '孙丽', groups: ['station-a:clerks'] },
  'li.station-reviewer': { name: '李伟', groups: ['station-a:reviewers'] },
  'chen.examiner': { name: '陈杰', groups: ['station-a:examiners'] },
  // An appraisal team has two examiners at least: one enters a score sheet, another checks it.
  'ma.examiner': { name: '马琳', groups: ['station-a:examiners'] },
  'zhou.supervisor': { name: '周敏', groups: ['station-a:supervisors'] },
  'he.clerk-b': { name: '何云', groups: ['station-b:clerks'] },
  'zhao.station-b-reviewer': { name: '赵蕾', groups: ['station-b:reviewers'] },
  'lin.examiner-b': { name: '林涛', groups: ['station-b:examiners'] },
  'gao.examiner-b': { name: '高飞', groups: ['station-b:examiners'] },
  'wu.center-reviewer': { name: '吴华', groups: ['center-1:reviewers'] },
  'qian.center-supervisor': { name: '钱宁', groups: ['center-1:supervisors'] },
  'zheng.approver': { name: '郑毅', groups: ['department-1:approvers'] },
  'feng.trainer': { name: '冯波', groups: ['training-1:trainers'] },
  admin: { name: '系统管理员', groups: ['administrators'] },
});

/** The email addresses of a group's members: what the delivery loop uses until the users table holds addresses. */
export async function demoRecipients(group: string): Promise<string[]> {
  return Object.values(DEMO_USERS)
    .filter((user) => user.groups.includes(group))
    .map((user) => user.email);
}

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
