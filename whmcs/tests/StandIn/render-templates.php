<?php

/**
 * `php render-templates.php <3|4>`: renders the pages given on stdin (JSON list of {templatefile, vars})
 * with Debian's Smarty of that version and answers a JSON list of {html} or {error}. A process of its
 * own per version, since Smarty 3 and 4 cannot share one.
 */

declare(strict_types=1);

require __DIR__ . '/SmartyTemplates.php';

use Vpnflow\Tests\StandIn\SmartyTemplates;

error_reporting(E_ALL);
SmartyTemplates::load((int) ($argv[1] ?? 0));
$results = [];
foreach (json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR) as $page) {
    try {
        $results[] = ['html' => SmartyTemplates::render($page['templatefile'], $page['vars'])];
    } catch (\Throwable $problem) {
        $results[] = ['error' => get_class($problem) . ': ' . $problem->getMessage() . ' at ' . $problem->getFile() . ':' . $problem->getLine()];
    }
}
echo json_encode($results, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
