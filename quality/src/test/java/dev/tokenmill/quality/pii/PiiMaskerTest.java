package dev.tokenmill.quality.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiMaskerTest {
    private final PiiMasker masker = PiiMasker.all();

    private String mask(String s) {
        return masker.mask(s, new int[PiiMasker.Type.values().length]);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Write to jane.doe+news@example.co.uk today.|Write to <EMAIL> today.",
                "Server 192.168.1.20 is down.|Server <IPV4> is down.",
                "Gateway at 10.0.0.255, mask 255.255.255.0.|Gateway at <IPV4>, mask <IPV4>.",
                "Loopback ::1 and 2001:db8::8a2e:370:7334 here.|Loopback <IPV6> and <IPV6> here.",
                "Full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 form.|Full <IPV6> form.",
                "Call +1 415 555 2671 now.|Call <PHONE> now.",
                "Call (415) 555-2671 or 415-555-2671.|Call <PHONE> or <PHONE>.",
                "London +44 20 7946 0958, Berlin +49 30 1234567.|London <PHONE>, Berlin <PHONE>.",
                "Card 4111 1111 1111 1111 expires.|Card <CREDIT_CARD> expires.",
                "Amex 378282246310005 ok.|Amex <CREDIT_CARD> ok.",
                "MC 5555-5555-5555-4444 ok.|MC <CREDIT_CARD> ok.",
            })
    void masksWithTypedPlaceholders(String input, String expected) {
        assertEquals(expected, mask(input));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "The meeting is on 2024-01-15 at 12:30:45.",
                "Dated 15.01.2024 and 01/15/2024, also 2024.01.15.",
                "Upgrade to version 10.0.0.1 or v1.2.3.4 today.",
                "Release 1.2.3 fixed it; Python 3.11.7 too.",
                "ISBN 978-3-16-148410-0 and ISBN-10: 0-306-40615-2.",
                "ISBN 9783161484100 in digits.",
                "Card 4111 1111 1111 1112 fails the Luhn check.",
                "Ratio 3:2:1 and score 1:0.",
                "Not an address: 999.10.10.10 nor 1.2.3.",
                "An order number 1234567890123 is not a card.",
                "Population 1,234,567 in 2020.",
                "email me at example dot com",
            })
    void leavesLookalikesAlone(String input) {
        assertEquals(input, mask(input));
    }

    @Test
    void countsPerType() {
        int[] counts = new int[PiiMasker.Type.values().length];
        masker.mask("a@b.org, c@d.net, 1.2.3.4 and +1 415 555 2671", counts);
        assertEquals(2, counts[PiiMasker.Type.EMAIL.ordinal()]);
        assertEquals(1, counts[PiiMasker.Type.IPV4.ordinal()]);
        assertEquals(1, counts[PiiMasker.Type.PHONE.ordinal()]);
        assertEquals(0, counts[PiiMasker.Type.CREDIT_CARD.ordinal()]);
    }

    @Test
    void onlyTheChosenTypes() {
        PiiMasker emailsOnly = new PiiMasker(EnumSet.of(PiiMasker.Type.EMAIL));
        assertEquals("<EMAIL> at 1.2.3.4", emailsOnly.mask("x@y.com at 1.2.3.4", new int[5]));
    }

    @Test
    void luhn() {
        assertTrue(PiiMasker.isCard("4111111111111111"));
        assertFalse(PiiMasker.isCard("4111111111111112"));
        assertFalse(PiiMasker.isCard("9783161484100"), "an ISBN-13 has no card prefix");
    }
}
