<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * What every client-area page of a vpnflow service shares: the client's language, the product's
 * permissions, the links between the pages (WHMCS custom functions of this module) and the widget.
 *
 * Templates get `$vpnflowText` (the client-area strings in the client's language) and `$vpnflow`:
 * - page: overview|statistics|history|buyTraffic|denied; serviceId; locale (en, pl, ...)
 * - permissions: {statistics, history, buyTraffic, resetConnection, showPassword} (bools)
 * - links: {overview, statistics, history, buyTraffic, downloadProfile, action, invoice} (URLs relative
 *   to WHMCS; `action` is where the Reset connection form posts, `invoice` takes an invoice id)
 * - panel: {apiUrl, token, tokenExpiresAt, scriptUrl, refreshSeconds}: the widget and the client token
 *   for /v1/client of this service; token '' when vpnflow could not issue one (the page works without)
 * - what the page itself shows (ClientArea, ClientPages)
 */
final class ClientPage
{
    /** The widget's version in its URL: the contract between these templates and it (panel/version.ts). */
    public const PANEL_VERSION = '1';
    public const PANEL_SCRIPT = 'vpnflow-panel.js';

    private function __construct(
        public readonly int $serviceId,
        public readonly int $clientId,
        public readonly int $productId,
        public readonly ProductExtras $extras,
        public readonly ClientText $text,
        public readonly ClientFormat $format,
    ) {
    }

    /** @param array<string, mixed> $params */
    public static function fromParams(array $params): self
    {
        $clientId = (int) ($params['userid'] ?? 0);
        $text = ClientText::forClient($clientId);
        $productId = (int) ($params['pid'] ?? 0);
        return new self((int) ($params['serviceid'] ?? 0), $clientId, $productId, ProductExtras::forProduct($productId), $text, new ClientFormat($text));
    }

    /** The client area's page of a service: the overview, or one of the module's custom functions. */
    public static function linkFor(int $serviceId, string $page): string
    {
        $overview = 'clientarea.php?action=productdetails&id=' . $serviceId;
        return $page === 'overview' ? $overview : "$overview&modop=custom&a=$page";
    }

    public function link(string $page): string
    {
        return self::linkFor($this->serviceId, $page);
    }

    /**
     * The client token for the widget; a page without one still shows everything WHMCS knows.
     *
     * @return array{apiUrl: string, token: string, tokenExpiresAt: string, scriptUrl: string, refreshSeconds: int}
     */
    public function panel(ApiClient $client): array
    {
        $issued = ['token' => '', 'expiresAt' => ''];
        try {
            $issued = $client->send("/v1/whmcs/services/{$this->serviceId}/client-token", [], null, ApiClient::PAGE_TIMEOUT)->body;
        } catch (\Throwable $problem) {
            Module::explainFailure('ClientArea client token', $problem, ['serviceId' => $this->serviceId]);
        }
        $apiUrl = $client->server->baseUrl();
        return [
            'apiUrl' => $apiUrl,
            'token' => (string) ($issued['token'] ?? ''),
            'tokenExpiresAt' => (string) ($issued['expiresAt'] ?? ''),
            'scriptUrl' => "$apiUrl/panel/" . self::PANEL_VERSION . '/' . self::PANEL_SCRIPT,
            'refreshSeconds' => $this->extras->refreshSeconds,
        ];
    }

    /**
     * The page as WHMCS takes it from a module: its template and variables.
     *
     * @param array<string, mixed> $vars what the page shows, under `$vpnflow`
     * @param array{apiUrl: string, token: string, tokenExpiresAt: string, scriptUrl: string, refreshSeconds: int}|null $panel
     * @return array{templatefile: string, breadcrumb: array<string, string>, vars: array<string, mixed>}
     */
    public function page(string $page, string $template, array $vars, ?array $panel = null): array
    {
        $links = [];
        foreach (['overview', 'statistics', 'history', 'buyTraffic', 'downloadProfile'] as $target) {
            $links[$target] = $this->link($target);
        }
        $links['action'] = $this->link('overview');
        $links['invoice'] = 'viewinvoice.php?id=';
        $crumb = (string) ($vars['deniedPage'] ?? $page);
        return [
            'templatefile' => "templates/$template",
            'breadcrumb' => [$this->link($crumb) => $this->text->text("nav.$crumb")],
            'vars' => [
                'vpnflowText' => $this->text->catalog(),
                'vpnflow' => [
                    'page' => $page,
                    'serviceId' => $this->serviceId,
                    'locale' => $this->text->locale,
                    'permissions' => $this->extras->permissions,
                    'links' => $links,
                    'panel' => $panel ?? ['apiUrl' => '', 'token' => '', 'tokenExpiresAt' => '', 'scriptUrl' => '', 'refreshSeconds' => $this->extras->refreshSeconds],
                ] + $vars,
            ],
        ];
    }

    /** A page the product does not allow: "Access denied", whatever the link that led here. */
    public function denied(string $page): array
    {
        return $this->page('denied', 'denied', ['deniedPage' => $page]);
    }
}
