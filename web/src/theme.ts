import { createTheme, type MantineColorsTuple, type MantineThemeOverride } from '@mantine/core';

// A deep industrial blue, readable on the shop floor as on a desk.
const gmaoBlue: MantineColorsTuple = [
  '#e8f1ff',
  '#d2e0fb',
  '#a3bff2',
  '#719ce9',
  '#487ee2',
  '#2f6bde',
  '#2061dd',
  '#1251c4',
  '#0647b0',
  '#003d9c',
];

/** Labels Mantine would otherwise leave in English or empty. */
export interface ThemeLabels {
  close: string;
  togglePassword: string;
}

export function makeTheme(labels: ThemeLabels): MantineThemeOverride {
  return createTheme({
    primaryColor: 'gmao',
    colors: { gmao: gmaoBlue },
    primaryShade: { light: 7, dark: 5 },
    defaultRadius: 'md',
    cursorType: 'pointer',
    fontFamily:
      'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    headings: { fontWeight: '650' },
    components: {
      Badge: { styles: { root: { textTransform: 'none' } } },
      Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
      Modal: {
        defaultProps: {
          centered: true,
          radius: 'md',
          closeButtonProps: { 'aria-label': labels.close },
        },
      },
      Notification: { defaultProps: { closeButtonProps: { 'aria-label': labels.close } } },
      PasswordInput: {
        defaultProps: { visibilityToggleButtonProps: { 'aria-label': labels.togglePassword } },
      },
      Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
    },
  });
}
