<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * The vpnflow rows of the service's admin tab, from one overview call: label => HTML, every value
 * escaped (router comments, ledger descriptions and errors may hold anything). When vpnflow does not
 * answer within the page timeout the tab shows one error row (and the outbox, which is local), so the
 * service page always loads.
 */
final class AdminServicesTab
{
    /**
     * @param array<string, mixed> $params
     * @return array<string, string>
     */
    public static function fields(array $params): array
    {
        $t = Translator::forStaff();
        $serviceId = (int) ($params['serviceid'] ?? 0);
        if ((int) ($params['addonId'] ?? 0) > 0) {
            return [];
        }
        try {
            $started = microtime(true);
            $overview = (new ApiClient(ServerRecord::fromParams($params)))
                ->read("/v1/whmcs/services/$serviceId/overview")
                ->body;
            $fields = self::overviewFields($t, $overview, (int) round((microtime(true) - $started) * 1000));
            WhmcsService::find($serviceId)->recordAccount(is_array($overview['service'] ?? null) ? $overview['service'] : []);
        } catch (\Throwable $problem) {
            $fields = [$t->text('admin.api') => self::escape(Module::explainFailure('AdminServicesTabFields', $problem, [
                'serviceId' => $serviceId,
                'routerId' => (string) ($params['serverusername'] ?? ''),
            ]))];
        }
        $outbox = self::outbox($t, $serviceId);
        if ($outbox !== '') {
            $fields[$t->text('admin.outbox')] = $outbox;
        }
        return $fields;
    }

    /**
     * @param array<string, mixed> $overview
     * @return array<string, string>
     */
    private static function overviewFields(Translator $t, array $overview, int $milliseconds): array
    {
        $service = is_array($overview['service'] ?? null) ? $overview['service'] : [];
        $router = is_array($overview['router'] ?? null) ? $overview['router'] : [];
        $live = is_array($overview['live'] ?? null) ? $overview['live'] : [];
        $usage = is_array($overview['cycleUsage'] ?? null) ? $overview['cycleUsage'] : [];
        $temporal = is_array($overview['temporal'] ?? null) ? $overview['temporal'] : [];
        $product = is_array($service['product'] ?? null) ? $service['product'] : [];

        $reasons = array_map('strval', (array) ($service['suspensionReasons'] ?? []));
        $status = (string) ($service['status'] ?? '');
        $perCycle = $service['trafficPerCycleBytes'] ?? null;
        $balance = self::gb($service['balanceBytes'] ?? '0');
        $fields = [
            $t->text('admin.api') => self::escape($t->text(
                ($service['fromWorkflow'] ?? true) ? 'admin.apiAnswered' : 'admin.apiStoredView',
                ['ms' => $milliseconds],
            )),
            $t->text('admin.router') => self::escape(sprintf(
                '%s (#%s), %s; %s: %s',
                (string) ($router['name'] ?? ''),
                (string) ($router['id'] ?? ''),
                (string) ($router['publicHostname'] ?? ''),
                $t->text('admin.metering'),
                self::metering($t, is_array($router['metering'] ?? null) ? $router['metering'] : []),
            )),
            $t->text('admin.account') => self::pairs([
                $t->text('admin.username') => (string) ($service['username'] ?? ''),
                $t->text('admin.enabled') => $t->text($status === 'active' && $reasons === [] ? 'admin.yes' : 'admin.no'),
                $t->text('admin.status') => $reasons === [] ? $status : $status . ' (' . implode(', ', $reasons) . ')',
                $t->text('admin.address') => (string) ($service['address'] ?? ''),
                $t->text('admin.commentPrefix') => (string) ($product['commentPrefix'] ?? ''),
                $t->text('admin.pendingChange') => empty($service['routerPending'])
                    ? $t->text('admin.none')
                    : $t->text('admin.routerPending', ['error' => (string) ($service['routerError'] ?? '') ?: '-']),
            ]),
            $t->text('admin.connection') => self::sessions($t, $live),
            $t->text('admin.traffic') => self::pairs([
                $t->text('admin.balanceNow') => !empty($service['limitedByTraffic']) ? "$balance — " . $t->text('admin.limitedByTraffic') : $balance,
                $t->text('admin.cycleDownload') => self::gb($usage['downloadBytes'] ?? '0'),
                $t->text('admin.cycleUpload') => self::gb($usage['uploadBytes'] ?? '0'),
                $t->text('admin.perCycle') => $perCycle === null ? $t->text('admin.unlimited') : self::gb($perCycle),
                $t->text('admin.nextGrant') => self::time($service['nextGrantAt'] ?? null) ?: $t->text('admin.none'),
            ]),
        ];
        $credits = array_values(array_filter((array) ($overview['recentCredits'] ?? []), 'is_array'));
        if ($credits !== []) {
            $fields[$t->text('admin.credits')] = self::table(
                [$t->text('admin.date'), $t->text('admin.added'), $t->text('admin.before'), $t->text('admin.after'), $t->text('admin.description'), $t->text('admin.invoice')],
                array_map(static fn (array $credit) => [
                    self::escape(self::time($credit['date'] ?? null)),
                    self::escape(self::gb($credit['addedBytes'] ?? '0')),
                    self::escape(self::gb($credit['balanceBeforeBytes'] ?? '0')),
                    self::escape(self::gb($credit['balanceAfterBytes'] ?? '0')),
                    self::escape((string) ($credit['description'] ?? '')),
                    self::invoiceLink((string) ($credit['invoice'] ?? '')),
                ], $credits),
            );
        }
        $workflowId = (string) ($temporal['workflowId'] ?? '');
        if ($workflowId !== '') {
            $uiUrl = (string) ($temporal['uiUrl'] ?? '');
            $fields[$t->text('admin.workflow')] = preg_match('#^https?://#i', $uiUrl)
                ? '<a href="' . self::escape($uiUrl) . '" target="_blank" rel="noopener">' . self::escape($workflowId) . '</a>'
                : self::escape($workflowId);
        }
        return $fields;
    }

    /** @param array<string, mixed> $metering */
    private static function metering(Translator $t, array $metering): string
    {
        return match ((string) ($metering['status'] ?? '')) {
            'ok' => $t->text('admin.meteringOk', ['time' => self::time($metering['lastSuccessAt'] ?? null)]),
            // The failures began after the last success.
            'failing' => $t->text('admin.meteringFailing', [
                'time' => self::time($metering['lastSuccessAt'] ?? null) ?: $t->text('admin.never'),
                'error' => (string) ($metering['error'] ?? ''),
            ]),
            default => $t->text('admin.meteringNever'),
        };
    }

    /** @param array<string, mixed> $live */
    private static function sessions(Translator $t, array $live): string
    {
        $sessions = array_values(array_filter((array) ($live['sessions'] ?? []), 'is_array'));
        $seen = self::escape($t->text('admin.seenAt', ['time' => self::time($live['asOf'] ?? null) ?: '-']));
        if (empty($live['online']) || $sessions === []) {
            return self::escape($t->text('admin.notOnline')) . " ($seen)";
        }
        return self::table(
            [$t->text('admin.protocol'), $t->text('admin.callerId'), $t->text('admin.address'), $t->text('admin.uptime')],
            array_map(static fn (array $session) => array_map(self::escape(...), [
                (string) ($session['protocol'] ?? ''),
                (string) ($session['callerId'] ?? ''),
                (string) ($session['address'] ?? ''),
                self::uptime((int) ($session['uptimeSeconds'] ?? 0)),
            ]), $sessions),
        ) . "<small>$seen</small>";
    }

    /** Traffic lines of this service that are not credited yet, straight from the outbox. */
    private static function outbox(Translator $t, int $serviceId): string
    {
        ModuleTables::ensure();
        $rows = Capsule::table(ModuleTables::TRAFFIC_CREDITS)
            ->where('service_id', $serviceId)
            ->where('status', '!=', TrafficCredits::CREDITED)
            ->orderBy('invoice_item_id')
            ->get();
        if ($rows->isEmpty()) {
            return '';
        }
        return self::table(
            [$t->text('admin.invoice'), 'GB', $t->text('admin.state'), $t->text('admin.lastError')],
            $rows->map(static fn (object $row) => [
                self::invoiceLink((string) $row->invoice_id) . self::escape(" / {$row->invoice_item_id}"),
                self::escape((string) $row->gb),
                self::escape($row->status === TrafficCredits::PENDING
                    ? $t->text('admin.pendingUntil', ['attempts' => (int) $row->attempts, 'next' => (string) $row->next_attempt_at . ' UTC'])
                    : (string) $row->status),
                self::escape((string) $row->last_error),
            ])->all(),
        );
    }

    /** WHMCS's admin page of an invoice; vpnflow records other references (an admin's) as text. */
    private static function invoiceLink(string $invoice): string
    {
        return preg_match('/^\d+$/', $invoice)
            ? '<a href="invoices.php?action=edit&amp;id=' . $invoice . '">#' . $invoice . '</a>'
            : self::escape($invoice);
    }

    /** @param array<string, string> $pairs label => value, both plain text */
    private static function pairs(array $pairs): string
    {
        $html = '<table class="table table-condensed">';
        foreach ($pairs as $label => $value) {
            $html .= '<tr><th>' . self::escape($label) . '</th><td>' . self::escape($value) . '</td></tr>';
        }
        return $html . '</table>';
    }

    /**
     * @param list<string> $headings plain text
     * @param list<list<string>> $rows HTML cells, escaped by the caller
     */
    private static function table(array $headings, array $rows): string
    {
        $html = '<table class="table table-condensed"><tr>';
        foreach ($headings as $heading) {
            $html .= '<th>' . self::escape($heading) . '</th>';
        }
        $html .= '</tr>';
        foreach ($rows as $row) {
            $html .= '<tr><td>' . implode('</td><td>', $row) . '</td></tr>';
        }
        return $html . '</table>';
    }

    private static function gb(mixed $bytes): string
    {
        return Bytes::gb(is_scalar($bytes) ? (string) $bytes : null) . ' GB';
    }

    /** Staff times in UTC, as vpnflow keeps them. */
    private static function time(mixed $iso): string
    {
        return is_string($iso) && $iso !== '' ? gmdate('Y-m-d H:i', (int) strtotime($iso)) . ' UTC' : '';
    }

    private static function uptime(int $seconds): string
    {
        return sprintf('%dd %02d:%02d:%02d', intdiv($seconds, 86400), intdiv($seconds % 86400, 3600), intdiv($seconds % 3600, 60), $seconds % 60);
    }

    private static function escape(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
}
