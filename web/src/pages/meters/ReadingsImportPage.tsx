// Meter readings from a spreadsheet: a CSV file is checked as a whole by the server and recorded
// all or nothing; a refusal lists each problem with its line, shown next to the line's content.
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  FileInput,
  Grid,
  Group,
  List,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconFileSpreadsheet,
  IconUpload,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { api, call } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { errorMessage } from '../../i18n/messages';
import {
  EXPECTED_COLUMNS,
  importProblems,
  previewCsv,
  problemRows,
  type CsvPreview,
} from '../../lib/readingsImport';

const EXAMPLE = `equipment_code,meter,value,read_at
PRESSE-01,Heures de marche,12500,2026-11-05T08:30:00Z
COMP-02,Cycles,48210,2026-11-05 09:15`;

export default function ReadingsImportPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  const choose = async (picked: File | null) => {
    setFile(picked);
    setImported(null);
    setError(null);
    if (!picked) {
      setText(null);
      setPreview(null);
      return;
    }
    const content = await picked.text();
    setText(content);
    setPreview(previewCsv(content));
  };

  const send = async () => {
    if (text === null) return;
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      const result = await call(
        api.POST('/meter-readings/import', {
          body: text,
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
      setImported(result.imported);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['meters'] }),
        queryClient.invalidateQueries({ queryKey: ['equipment'] }),
      ]);
      notifications.show({
        color: 'teal',
        message: t('readingsImport.done', { count: result.imported }),
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const problems = importProblems(error);
  const rows = problemRows(i18n, problems, text);

  return (
    <>
      <PageHeader
        title={t('readingsImport.title')}
        description={t('readingsImport.description')}
        back={{ to: '/equipment', label: t('equipment.title') }}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <Card component="section" aria-labelledby="import-file">
              <Title order={2} fz="lg" mb="md" id="import-file">
                {t('readingsImport.fileTitle')}
              </Title>
              <Stack gap="md">
                <FileInput
                  label={t('readingsImport.file')}
                  placeholder={t('readingsImport.filePlaceholder')}
                  accept=".csv,text/csv,text/plain"
                  leftSection={<IconFileSpreadsheet size={18} />}
                  value={file}
                  onChange={(f) => void choose(f)}
                  clearable
                />
                {preview && (
                  <Stack gap="xs">
                    <Group gap="xs">
                      <Badge variant="light">
                        {t('readingsImport.lines', { count: preview.lineCount })}
                      </Badge>
                      <Badge variant="default">
                        {t('readingsImport.delimiter', {
                          delimiter: t('common.quoted', { text: preview.delimiter }),
                        })}
                      </Badge>
                    </Group>
                    {preview.missing.length > 0 && (
                      <Alert color="orange" variant="light" icon={<IconAlertTriangle />}>
                        {t('readingsImport.missingColumns', {
                          columns: preview.missing.join(', '),
                        })}
                      </Alert>
                    )}
                    {preview.rows.length > 0 && (
                      <Table.ScrollContainer minWidth={480} type="native">
                        <Table
                          withTableBorder
                          fz="xs"
                          verticalSpacing={4}
                          data-testid="csv-preview"
                        >
                          <Table.Thead>
                            <Table.Tr>
                              {preview.header.map((h, i) => (
                                <Table.Th key={i} ff="monospace">
                                  {h}
                                </Table.Th>
                              ))}
                            </Table.Tr>
                          </Table.Thead>
                          <Table.Tbody>
                            {preview.rows.map((row, r) => (
                              <Table.Tr key={r}>
                                {row.map((cell, c) => (
                                  <Table.Td key={c} ff="monospace">
                                    {cell}
                                  </Table.Td>
                                ))}
                              </Table.Tr>
                            ))}
                          </Table.Tbody>
                        </Table>
                      </Table.ScrollContainer>
                    )}
                  </Stack>
                )}
                <Group justify="flex-end">
                  <Button
                    leftSection={<IconUpload size={18} />}
                    disabled={text === null}
                    loading={busy}
                    onClick={() => void send()}
                  >
                    {t('readingsImport.submit')}
                  </Button>
                </Group>
              </Stack>
            </Card>
            {imported !== null && (
              <Alert
                color="teal"
                variant="light"
                icon={<IconCircleCheck />}
                title={t('readingsImport.doneTitle')}
                data-testid="import-done"
              >
                {t('readingsImport.done', { count: imported })}
              </Alert>
            )}
            {error !== null && (
              <Card
                component="section"
                aria-labelledby="import-problems"
                data-testid="import-problems"
              >
                <Alert
                  color="red"
                  variant="light"
                  icon={<IconAlertTriangle />}
                  mb={rows.length ? 'md' : 0}
                >
                  {rows.length > 0
                    ? t('readingsImport.refused', { count: rows.length })
                    : errorMessage(i18n, error)}
                </Alert>
                {rows.length > 0 && (
                  <>
                    <Title order={2} fz="md" mb="xs" id="import-problems">
                      {t('readingsImport.problemsTitle')}
                    </Title>
                    <Table.ScrollContainer minWidth={520} type="native">
                      <Table verticalSpacing="xs" striped>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th w={70}>{t('readingsImport.line')}</Table.Th>
                            <Table.Th w={120}>{t('readingsImport.column')}</Table.Th>
                            <Table.Th>{t('readingsImport.problem')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {rows.map((row, i) => (
                            <Table.Tr key={i} data-testid="import-problem">
                              <Table.Td fw={600}>{row.line}</Table.Td>
                              <Table.Td>{row.column}</Table.Td>
                              <Table.Td>
                                <Text size="sm">{row.message}</Text>
                                {row.content && (
                                  <Code block mt={4} fz="xs" className="code-wrap">
                                    {row.content}
                                  </Code>
                                )}
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                    <Text size="sm" c="dimmed" mt="sm">
                      {t('readingsImport.nothingRecorded')}
                    </Text>
                  </>
                )}
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card component="section" aria-labelledby="import-format">
            <Title order={2} fz="lg" mb="sm" id="import-format">
              {t('readingsImport.formatTitle')}
            </Title>
            <Text size="sm" mb="sm">
              {t('readingsImport.formatText')}
            </Text>
            <List size="sm" spacing={6} mb="md">
              {EXPECTED_COLUMNS.map((column) => (
                <List.Item key={column}>
                  <Code>{column}</Code> — {t(`readingsImport.columnHelp.${column}`)}
                </List.Item>
              ))}
            </List>
            <Text size="sm" mb="xs">
              {t('readingsImport.delimiterHelp')}
            </Text>
            <Code block fz="xs" className="code-wrap">
              {EXAMPLE}
            </Code>
            <Text size="xs" c="dimmed" mt="sm">
              {t('readingsImport.allOrNothing')}
            </Text>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
