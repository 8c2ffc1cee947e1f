/** The people of the demo province, as the workflow sees them: an id and the groups they act for. */
import type { Actor } from '../../workflows/definitions';

const actor = (id: string, ...groups: string[]): Actor => ({ id, groups });

export const actors = {
  stationReviewer: actor('li.station-reviewer', 'station-a:reviewers'),
  /** A colleague in the same group: for claims held by one member and attempted by another. */
  secondStationReviewer: actor('he.station-reviewer', 'station-a:reviewers'),
  otherStationReviewer: actor('zhao.station-b-reviewer', 'station-b:reviewers'),
  stationExaminer: actor('chen.examiner', 'station-a:examiners'),
  stationClerk: actor('sun.clerk', 'station-a:clerks'),
  otherStationClerk: actor('qin.station-b-clerk', 'station-b:clerks'),
  stationSupervisor: actor('zhou.supervisor', 'station-a:supervisors'),
  centerReviewer: actor('wu.center-reviewer', 'center-1:reviewers'),
  centerSupervisor: actor('qian.center-supervisor', 'center-1:supervisors'),
  departmentApprover: actor('zheng.approver', 'department-1:approvers'),
  trainer: actor('feng.trainer', 'training-1:trainers'),
  administrator: actor('admin', 'administrators'),
  /** Holds groups at two levels: the four-eyes rule must stop them deciding at both. */
  doubleHatted: actor('ma.double', 'station-a:reviewers', 'center-1:reviewers'),
};
