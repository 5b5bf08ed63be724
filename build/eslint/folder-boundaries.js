// The layering of DESIGN.md as a lint rule: each top-level folder may import only what its row of the
// table allows. Kept as a small custom rule (rather than per-folder no-restricted-imports patterns) so that
// relative paths are resolved to the folder they really reach, whatever their depth.
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** What each folder may reach. `files` are repo-relative globs-lite (prefix match). */
export const BOUNDARIES = {
  shared: { folders: ['shared'], node: false, electron: false, packages: [] },
  workers: { folders: ['shared', 'workers'], node: true, electron: false, packages: '*' },
  main: { folders: ['shared', 'main', 'workers/pool'], node: true, electron: true, packages: '*' },
  renderer: { folders: ['shared', 'renderer'], node: false, electron: false, packages: '*' },
};

/** Files of main/ that must stay Electron-free so that the CLI and the e2e host can load them. */
export const ELECTRON_FREE = ['main/api.ts', 'main/cli.ts', 'main/host'];

function packageName(source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function classify(source, fileDir, root) {
  if (source.startsWith('.') || source.startsWith('/')) {
    const target = path.relative(root, path.resolve(fileDir, source)).split(path.sep).join('/');
    return { kind: 'file', target };
  }
  if (NODE_BUILTINS.has(source) || NODE_BUILTINS.has(source.split('/')[0])) return { kind: 'node' };
  const name = packageName(source);
  if (name === 'electron') return { kind: 'electron' };
  return { kind: 'package', name };
}

function within(target, folder) {
  return target === folder || target.startsWith(`${folder}/`);
}

function violation(relFile, source, fileDir, root) {
  const folder = relFile.split('/')[0];
  const rules = BOUNDARIES[folder];
  if (!rules) return null;
  const dep = classify(source, fileDir, root);
  if (dep.kind === 'file') {
    if (dep.target.startsWith('..')) return `'${source}' leaves the project`;
    if (!rules.folders.some((allowed) => within(dep.target, allowed)))
      return `${folder}/ may import only ${rules.folders.join(', ')}; '${source}' reaches ${dep.target}`;
    return null;
  }
  if (dep.kind === 'node')
    return rules.node ? null : `${folder}/ must not import Node built-ins ('${source}')`;
  if (dep.kind === 'electron') {
    if (!rules.electron) return `${folder}/ must not import electron`;
    if (ELECTRON_FREE.some((free) => within(relFile, free) || relFile === free))
      return `${relFile} must stay Electron-free (the CLI and the e2e host load it)`;
    return null;
  }
  if (rules.packages === '*') return null;
  if (!rules.packages.includes(dep.name)) return `${folder}/ must not import package '${dep.name}'`;
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the folder layering of DESIGN.md' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const relFile = path.relative(root, file).split(path.sep).join('/');
    const fileDir = path.dirname(file);
    function check(node, source) {
      if (typeof source !== 'string') return;
      const message = violation(relFile, source, fileDir, root);
      if (message) context.report({ node, message: `Folder boundary: ${message}` });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const arg = node.arguments[0];
          if (arg && arg.type === 'Literal') check(node, arg.value);
        }
      },
    };
  },
};
