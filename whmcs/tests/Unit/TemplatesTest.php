<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use PHPUnit\Framework\TestCase;

/** WHMCS leaves Smarty's escape_html off, so each template escapes every value it prints. */
final class TemplatesTest extends TestCase
{
    /** @return iterable<string, array{string}> */
    public function templates(): iterable
    {
        foreach (glob(__DIR__ . '/../../modules/servers/vpnflow/templates/*.tpl') as $file) {
            yield basename($file) => [$file];
        }
    }

    /** @dataProvider templates */
    public function testEveryPrintedValueIsEscaped(string $file): void
    {
        $template = (string) preg_replace('/\{\*.*?\*\}/s', '', file_get_contents($file));
        preg_match_all('/\{\$[^}]*\}/', $template, $printed);
        $this->assertNotEmpty($printed[0]);
        foreach ($printed[0] as $tag) {
            $this->assertMatchesRegularExpression("/\\|escape:'(html|url)'\\}$/", $tag, basename($file));
        }
    }
}
