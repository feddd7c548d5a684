<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use PHPUnit\Framework\TestCase;

/**
 * WHMCS leaves Smarty's escape_html off, so each template escapes every value it prints, except the
 * protocols' custom HTML, which staff write in the product's settings and is documented as trusted.
 */
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
        foreach (array_diff($printed[0], ['{$protocol.customHtml}']) as $tag) {
            $this->assertMatchesRegularExpression("/\\|escape:'(html|url)'\\}$/", $tag, basename($file));
        }
    }
}
