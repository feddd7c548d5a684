<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;

/**
 * The vpnflow rows of the service's admin tab: label => HTML, every value escaped. When vpnflow does
 * not answer within the page timeout the tab shows one error row (and the outbox, which is local), so
 * the service page always loads.
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
            $overview = (new ApiClient(ServerRecord::fromParams($params)))
                ->read("/v1/whmcs/services/$serviceId/overview")
                ->body;
            $fields = self::overviewFields($t, $overview);
            WhmcsService::find($serviceId)->recordAccount(is_array($overview['service'] ?? null) ? $overview['service'] : []);
        } catch (\Throwable $problem) {
            $fields = [$t->text('admin.vpnflow') => self::escape(Module::explainFailure('AdminServicesTabFields', $problem, [
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
    private static function overviewFields(Translator $t, array $overview): array
    {
        $service = is_array($overview['service'] ?? null) ? $overview['service'] : [];
        $router = is_array($overview['router'] ?? null) ? $overview['router'] : [];
        $metering = is_array($router['metering'] ?? null) ? $router['metering'] : [];
        $live = is_array($overview['live'] ?? null) ? $overview['live'] : [];
        $usage = is_array($overview['cycleUsage'] ?? null) ? $overview['cycleUsage'] : [];
        $temporal = is_array($overview['temporal'] ?? null) ? $overview['temporal'] : [];

        $status = (string) ($service['status'] ?? '');
        $reasons = (array) ($service['suspensionReasons'] ?? []);
        $statusText = $reasons === [] ? $status : $status . ' (' . implode(', ', $reasons) . ')';
        if (!empty($service['routerPending'])) {
            $statusText .= ' — ' . $t->text('admin.routerPending', ['error' => (string) ($service['routerError'] ?? '') ?: '-']);
        }

        $meteringText = (string) ($metering['status'] ?? '');
        if (!empty($metering['error'])) {
            $meteringText .= ': ' . $metering['error'];
        }

        $perCycle = $service['trafficPerCycleBytes'] ?? null;
        $traffic = $t->text('admin.balance', [
            'balance' => Bytes::gb($service['balanceBytes'] ?? '0'),
            'perCycle' => $perCycle === null ? $t->text('admin.unlimited') : Bytes::gb($perCycle) . ' GB',
            'download' => Bytes::gb($usage['downloadBytes'] ?? '0'),
            'upload' => Bytes::gb($usage['uploadBytes'] ?? '0'),
        ]);
        if (!empty($service['limitedByTraffic'])) {
            $traffic .= ' — ' . $t->text('admin.limitedByTraffic');
        }

        $fields = [
            $t->text('admin.vpnflow') => self::escape($statusText),
            $t->text('admin.router') => self::escape(sprintf(
                '%s (#%s), %s; %s: %s',
                (string) ($router['name'] ?? ''),
                (string) ($router['id'] ?? ''),
                (string) ($router['publicHostname'] ?? ''),
                $t->text('admin.metering'),
                $meteringText,
            )),
            $t->text('admin.account') => self::escape(trim(sprintf('%s %s', $service['username'] ?? '', $service['address'] ?? ''))),
            $t->text('admin.connection') => self::sessions($t, $live),
            $t->text('admin.traffic') => self::escape($traffic),
        ];
        $credits = ClientArea::credits($overview);
        if ($credits !== []) {
            $fields[$t->text('admin.credits')] = self::table(
                [$t->text('admin.date'), 'GB', $t->text('admin.description'), $t->text('admin.invoice')],
                array_map(static fn (array $credit) => [$credit['date'], $credit['addedGb'], $credit['description'], $credit['invoice'] ?? ''], $credits),
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

    /** @param array<string, mixed> $live */
    private static function sessions(Translator $t, array $live): string
    {
        $sessions = array_values(array_filter((array) ($live['sessions'] ?? []), 'is_array'));
        if (empty($live['online']) || $sessions === []) {
            return self::escape($t->text('admin.notOnline'));
        }
        return self::table(
            [$t->text('admin.protocol'), $t->text('admin.callerId'), $t->text('admin.address'), $t->text('admin.uptime')],
            array_map(static fn (array $session) => [
                (string) ($session['protocol'] ?? ''),
                (string) ($session['callerId'] ?? ''),
                (string) ($session['address'] ?? ''),
                gmdate('z\d H:i:s', (int) ($session['uptimeSeconds'] ?? 0)),
            ], $sessions),
        );
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
                "#{$row->invoice_id} / {$row->invoice_item_id}",
                (string) $row->gb,
                $row->status === TrafficCredits::PENDING
                    ? $t->text('admin.pendingUntil', ['attempts' => (int) $row->attempts, 'next' => (string) $row->next_attempt_at . ' UTC'])
                    : (string) $row->status,
                (string) $row->last_error,
            ])->all(),
        );
    }

    /**
     * @param list<string> $headings
     * @param list<list<string>> $rows
     */
    private static function table(array $headings, array $rows): string
    {
        $html = '<table class="table table-condensed"><tr>';
        foreach ($headings as $heading) {
            $html .= '<th>' . self::escape($heading) . '</th>';
        }
        $html .= '</tr>';
        foreach ($rows as $row) {
            $html .= '<tr>';
            foreach ($row as $cell) {
                $html .= '<td>' . self::escape((string) $cell) . '</td>';
            }
            $html .= '</tr>';
        }
        return $html . '</table>';
    }

    private static function escape(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
}
