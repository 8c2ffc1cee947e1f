/**
 * The five national skill levels. The numbers are the official ones (level 1 is the highest), so an enum value can be
 * written straight into a certificate number.
 */
export enum Level {
  SeniorTechnician = 1,
  Technician = 2,
  Advanced = 3,
  Intermediate = 4,
  Primary = 5,
}

/** From the entry level up, the order in which a career climbs them. */
export const LEVELS: readonly Level[] = Object.freeze([
  Level.Primary,
  Level.Intermediate,
  Level.Advanced,
  Level.Technician,
  Level.SeniorTechnician,
]);

export function isLevel(x: unknown): x is Level {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 5;
}

const TITLES: Record<Level, string> = {
  [Level.Primary]: 'primary',
  [Level.Intermediate]: 'intermediate',
  [Level.Advanced]: 'advanced',
  [Level.Technician]: 'technician',
  [Level.SeniorTechnician]: 'senior technician',
};

const TITLES_ZH: Record<Level, string> = {
  [Level.Primary]: '五级/初级工',
  [Level.Intermediate]: '四级/中级工',
  [Level.Advanced]: '三级/高级工',
  [Level.Technician]: '二级/技师',
  [Level.SeniorTechnician]: '一级/高级技师',
};

/** 'Level 5 (primary)': the level in number and words, as the certificate shows it. */
export function levelTitle(level: Level): string {
  return `Level ${level} (${TITLES[level]})`;
}

/** '五级/初级工': the official Chinese title. */
export function levelTitleZh(level: Level): string {
  return TITLES_ZH[level];
}

/** Technicians and senior technicians also have their technical summary or paper reviewed. */
export function requiresComprehensiveReview(level: Level): boolean {
  return level === Level.Technician || level === Level.SeniorTechnician;
}
