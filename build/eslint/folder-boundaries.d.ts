import type { Rule } from 'eslint';

declare const folderBoundaries: Rule.RuleModule;
export default folderBoundaries;
