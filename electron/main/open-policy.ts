/**
 * Which synced files wsync refuses to open with their default application: programs, scripts,
 * installers and shortcuts. Anyone with write access to the workspace can put such a file in the
 * folder, and "Open" on it would run it; wsync shows it in its folder instead.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';

const PROGRAM_EXTENSIONS = new Set(
  [
    // Windows: executables, installers, scripts and shortcuts that run something.
    'exe',
    'com',
    'scr',
    'pif',
    'cpl',
    'msi',
    'msp',
    'msc',
    'bat',
    'cmd',
    'ps1',
    'psm1',
    'vbs',
    'vbe',
    'js',
    'jse',
    'wsf',
    'wsh',
    'hta',
    'lnk',
    'url',
    'reg',
    'inf',
    'scf',
    'appref-ms',
    'application',
    'gadget',
    'library-ms',
    'settingcontent-ms',
    // macOS: bundles, installers and scripts Finder runs.
    'app',
    'command',
    'tool',
    'terminal',
    'pkg',
    'mpkg',
    'workflow',
    'action',
    'scpt',
    'scptd',
    'applescript',
    'webloc',
    'inetloc',
    // Linux: launchers, images that run, packages.
    'desktop',
    'appimage',
    'run',
    'bin',
    'sh',
    'bash',
    'zsh',
    'csh',
    'ksh',
    'fish',
    'deb',
    'rpm',
    'snap',
    'flatpak',
    'flatpakref',
    // Interpreted programs that desktops associate with their interpreter.
    'jar',
    'py',
    'pyw',
    'pl',
    'rb',
    'php',
    'lua',
    'tcl',
  ].map((e) => `.${e}`),
);

/** Whether the name alone marks a program. */
export function hasProgramExtension(path: string): boolean {
  return PROGRAM_EXTENSIONS.has(extname(path).toLowerCase());
}

/** A program by its name (a bundle such as .app included), or outside Windows any file with an execute bit. */
export async function isProgram(path: string, platform: NodeJS.Platform): Promise<boolean> {
  if (hasProgramExtension(path)) return true;
  if (platform === 'win32') return false;
  try {
    const info = await stat(path);
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
