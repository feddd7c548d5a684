<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Shell;

use Vpnflow\Tests\StandIn\MenuItem;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\Recorder;
use Vpnflow\Tests\StandIn\SmartyTemplates;
use WHMCS\Database\Capsule;

/**
 * The few WHMCS pages a vpnflow client and admin go through, as WHMCS's documentation describes them
 * (nothing here was checked against a real WHMCS; docs/whmcs.md lists what to verify there):
 *
 * - /login.php?client=<id>[&language=<name>]&next=<url>: the client logs in (the session's `uid`, and
 *   `Language` when the visitor picked one); /admin/login.php?admin=<id>&next=<url> for staff
 * - /clientarea.php?action=productdetails&id=<service>[&modop=custom&a=<function>]: the service's page
 *   for its owner: ClientArea, or a custom function allowed by ClientAreaAllowedFunctions (posted
 *   forms need the session's CSRF token); the sidebar from the ClientAreaPrimarySidebar hook
 * - /cart.php?a=add&aid=<addon>&productid=<service>, then the checkout: an order with an unpaid invoice
 * - /viewinvoice.php?id=<invoice>: paying it activates the addon (its module CreateAccount), then runs
 *   the InvoicePaid hooks, in that order, as WHMCS documents its payment automation
 * - /admin/clientsservices.php?id=<service>: the service's admin tab (AdminServicesTabFields)
 */
final class WhmcsShell
{
    public function __construct(int $smartyVersion)
    {
        SmartyTemplates::load($smartyVersion);
    }

    public function handle(string $path, string $method): void
    {
        set_error_handler(static function (int $level, string $message, string $file, int $line): bool {
            throw new \ErrorException($message, 0, $level, $file, $line);
        }, E_ALL & ~E_DEPRECATED);
        $_SESSION['token'] ??= bin2hex(random_bytes(16));
        try {
            match ($path) {
                '/login.php' => $this->login(),
                '/admin/login.php' => $this->adminLogin(),
                '/clientarea.php' => $this->productDetails($method),
                '/cart.php' => $this->cart($method),
                '/viewinvoice.php' => $this->invoice($method),
                '/admin/clientsservices.php' => $this->adminService(),
                '/assets/shell.css' => $this->stylesheet(),
                default => $this->page(404, 'Not found', '<p>No such page.</p>'),
            };
        } catch (\Throwable $problem) {
            $this->page(500, 'Error', '<pre class="shell-error">' . self::escape((string) $problem) . '</pre>');
        }
    }

    private function login(): void
    {
        $_SESSION['uid'] = (int) ($_GET['client'] ?? 0);
        unset($_SESSION['Language']);
        if (($_GET['language'] ?? '') !== '') {
            $_SESSION['Language'] = (string) $_GET['language'];
        }
        $this->redirect((string) ($_GET['next'] ?? '/'));
    }

    private function adminLogin(): void
    {
        $_SESSION['adminid'] = (int) ($_GET['admin'] ?? 0);
        $this->redirect((string) ($_GET['next'] ?? '/'));
    }

    private function productDetails(string $method): void
    {
        $service = $this->clientsOwn('tblhosting');
        if ($service === null) {
            $this->page(403, 'Access denied', '<p>This service is not yours.</p>');
            return;
        }
        define('CLIENTAREA', true);
        $params = ModuleParams::forService((int) $service->id);
        $request = $method === 'POST' ? $_POST : $_GET;
        $function = ($request['modop'] ?? '') === 'custom' ? (string) ($request['a'] ?? '') : '';
        $notice = '';
        if ($function !== '') {
            if (!in_array($function, vpnflow_ClientAreaAllowedFunctions(), true)) {
                $this->page(403, 'Access denied', '<p>This action is not available.</p>');
                return;
            }
            if ($method === 'POST' && !hash_equals((string) $_SESSION['token'], (string) ($_POST['token'] ?? ''))) {
                $this->page(403, 'Invalid token', '<p>The form has expired.</p>');
                return;
            }
            $answer = ('vpnflow_' . $function)($params);
            if (is_array($answer)) {
                $this->modulePage($service, $answer);
                return;
            }
            // WHMCS shows a custom function's answer above the product's page.
            $notice = $answer === 'success'
                ? '<div class="alert alert-success" role="status">Action completed successfully</div>'
                : '<div class="alert alert-danger" role="alert">' . self::escape($answer) . '</div>';
        }
        $this->modulePage($service, vpnflow_ClientArea($params), $notice);
    }

    /** @param array{templatefile: string, vars: array<string, mixed>, breadcrumb?: array<string, string>} $answer */
    private function modulePage(object $service, array $answer, string $notice = ''): void
    {
        $html = SmartyTemplates::render($answer['templatefile'], $answer['vars'] + ['token' => $_SESSION['token']]);
        $product = Capsule::table('tblproducts')->where('id', $service->packageid)->value('name');
        $crumbs = '';
        foreach ($answer['breadcrumb'] ?? [] as $url => $label) {
            $crumbs .= ' / <a href="/' . self::escape($url) . '">' . self::escape($label) . '</a>';
        }
        $this->page(
            200,
            (string) $product,
            '<nav class="shell-breadcrumb"><a href="/clientarea.php?action=productdetails&amp;id=' . (int) $service->id . '">'
            . self::escape((string) $product) . '</a>' . $crumbs . '</nav>' . $notice . $html,
            $this->sidebar((int) $service->id),
        );
    }

    /** The Primary Sidebar's "Service Details Actions", as the module's hook fills it. */
    private function sidebar(int $serviceId): string
    {
        $sidebar = new MenuItem('Primary Sidebar');
        $sidebar->addChild('Service Details Actions', ['label' => 'Actions']);
        \Menu::$context['service'] = (object) ['id' => $serviceId];
        Recorder::runHook('ClientAreaPrimarySidebar', $sidebar);
        $items = '';
        foreach ($sidebar->getChild('Service Details Actions')->getChildren() as $item) {
            $label = self::escape((string) $item->options['label']);
            $items .= $item->isDisabled()
                ? '<span class="list-group-item disabled" aria-disabled="true" data-menu="' . self::escape($item->name) . '">' . $label . '</span>'
                : '<a class="list-group-item" data-menu="' . self::escape($item->name) . '" href="/' . self::escape((string) $item->options['uri']) . '">' . $label . '</a>';
        }
        return '<aside class="shell-sidebar"><div class="card"><div class="card-header">Actions</div><div class="list-group">' . $items . '</div></div></aside>';
    }

    private function cart(string $method): void
    {
        $clientId = (int) ($_SESSION['uid'] ?? 0);
        if ($method === 'POST' && ($_GET['a'] ?? '') === 'checkout') {
            $addon = Capsule::table('tbladdons')->where('id', (int) $_POST['aid'])->first();
            $serviceId = (int) $_POST['productid'];
            $price = (float) Capsule::table('tblpricing')->where('type', 'addon')->where('relid', $addon->id)->value('monthly');
            $hostingAddonId = Capsule::table('tblhostingaddons')->insertGetId([
                'hostingid' => $serviceId, 'addonid' => $addon->id, 'userid' => $clientId, 'status' => 'Pending',
            ]);
            $invoiceId = Capsule::table('tblinvoices')->insertGetId(['userid' => $clientId, 'status' => 'Unpaid']);
            Capsule::table('tblinvoiceitems')->insert([
                'invoiceid' => $invoiceId, 'userid' => $clientId, 'type' => 'Addon', 'relid' => $hostingAddonId,
                'description' => "Addon: {$addon->name}", 'amount' => $price,
            ]);
            $this->redirect("/viewinvoice.php?id=$invoiceId");
            return;
        }
        $addon = Capsule::table('tbladdons')->where('id', (int) ($_GET['aid'] ?? 0))->first();
        $serviceId = (int) ($_GET['productid'] ?? 0);
        $price = Capsule::table('tblpricing')->where('type', 'addon')->where('relid', $addon->id ?? 0)->value('monthly');
        $this->page(200, 'Shopping cart', '<h2>Review &amp; checkout</h2><table class="table"><tr><th>Product addon</th><th>For service</th><th>Price</th></tr>'
            . '<tr><td data-cart="addon">' . self::escape((string) ($addon->name ?? '')) . '</td><td>#' . $serviceId . '</td><td>' . self::escape(formatCurrency($price)) . '</td></tr></table>'
            . '<form method="post" action="/cart.php?a=checkout"><input type="hidden" name="aid" value="' . (int) ($addon->id ?? 0) . '">'
            . '<input type="hidden" name="productid" value="' . $serviceId . '"><button class="btn btn-success" type="submit">Checkout</button></form>');
    }

    private function invoice(string $method): void
    {
        $invoice = $this->clientsOwn('tblinvoices');
        if ($invoice === null) {
            $this->page(404, 'Not found', '<p>No such invoice.</p>');
            return;
        }
        $invoiceId = (int) $invoice->id;
        $items = Capsule::table('tblinvoiceitems')->where('invoiceid', $invoiceId)->get();
        if ($method === 'POST' && $invoice->status === 'Unpaid') {
            Capsule::table('tblinvoices')->where('id', $invoiceId)->update(['status' => 'Paid']);
            foreach ($items->where('type', 'Addon') as $item) {
                Capsule::table('tblhostingaddons')->where('id', $item->relid)->update(['status' => 'Active']);
                vpnflow_CreateAccount(ModuleParams::forAddon((int) $item->relid));
            }
            Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
            $this->redirect("/viewinvoice.php?id=$invoiceId");
            return;
        }
        $rows = '';
        foreach ($items as $item) {
            $rows .= '<tr><td>' . self::escape((string) $item->description) . '</td><td>' . self::escape(formatCurrency($item->amount)) . '</td></tr>';
        }
        $serviceId = (int) Capsule::table('tblhostingaddons')->where('id', $items->first()->relid ?? 0)->value('hostingid');
        $pay = $invoice->status === 'Unpaid'
            ? '<form method="post"><button class="btn btn-success" type="submit">Pay now</button></form>'
            : '<p><a class="btn btn-secondary" href="/clientarea.php?action=productdetails&amp;id=' . $serviceId . '&amp;modop=custom&amp;a=history">Back to the service</a></p>';
        $this->page(200, "Invoice #$invoiceId", '<h2>Invoice #' . $invoiceId . ' <span class="badge" data-invoice-status>' . self::escape((string) $invoice->status) . '</span></h2>'
            . '<table class="table"><tr><th>Description</th><th>Amount</th></tr>' . $rows . '</table>' . $pay);
    }

    private function adminService(): void
    {
        if ((int) ($_SESSION['adminid'] ?? 0) === 0) {
            $this->page(403, 'Access denied', '<p>Log in as staff.</p>');
            return;
        }
        $serviceId = (int) ($_GET['id'] ?? 0);
        $rows = '';
        foreach (vpnflow_AdminServicesTabFields(ModuleParams::forService($serviceId)) as $label => $html) {
            // WHMCS prints the labels as given and the values as HTML.
            $rows .= '<tr><td class="fieldlabel">' . self::escape($label) . '</td><td class="fieldarea">' . $html . '</td></tr>';
        }
        $this->page(200, "Service #$serviceId", '<h2>Products/Services: #' . $serviceId . '</h2><table class="table form" data-admin-tab>' . $rows . '</table>', '', 'admin');
    }

    /** The row of the page's `id` when it belongs to the logged-in client, as WHMCS checks. */
    private function clientsOwn(string $table): ?object
    {
        $row = Capsule::table($table)->where('id', (int) ($_GET['id'] ?? 0))->first();
        return $row !== null && (int) $row->userid === (int) ($_SESSION['uid'] ?? 0) ? $row : null;
    }

    private function stylesheet(): void
    {
        header('Content-Type: text/css; charset=utf-8');
        readfile(__DIR__ . '/shell.css');
    }

    private function page(int $status, string $title, string $content, string $sidebar = '', string $area = 'client'): void
    {
        http_response_code($status);
        header('Content-Type: text/html; charset=utf-8');
        $language = self::escape((string) ($_SESSION['Language'] ?? ''));
        echo '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            . '<title>' . self::escape($title) . '</title><link rel="stylesheet" href="/assets/shell.css"></head>'
            . '<body class="shell-' . $area . '"><header class="shell-header"><span class="shell-brand">Example Networks</span>'
            . '<span class="shell-area">' . ($area === 'admin' ? 'Admin area' : 'Client area') . ($language !== '' ? " · $language" : '') . '</span></header>'
            . '<div class="shell-body">' . $sidebar . '<main class="shell-main">' . $content . '</main></div></body></html>';
    }

    private function redirect(string $url): void
    {
        header('Location: ' . $url, true, 303);
    }

    private static function escape(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
}
